package io.gameevents.http.auth;

import java.util.regex.Pattern;

/** Extracts the token from {@code Authorization: Bearer <token>} (RFC 6750 section 2.1). */
final class BearerHeader {

  static final String MALFORMED = "malformed Authorization header: expected 'Bearer <token>'";

  /** RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
  static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private static final String SCHEME = "Bearer";

  private BearerHeader() {
  }

  /** The token, or throws {@link AuthenticationException}. */
  static String token(String header) {
    String value = header == null ? "" : header.strip();
    if (value.isEmpty()) {
      throw AuthenticationException.missing("missing bearer token");
    }
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    if (!scheme.equalsIgnoreCase(SCHEME)) {
      // another scheme (Basic, Digest...) carries no bearer credentials: RFC 6750 3.1 says no error code
      throw AuthenticationException.missing("authorization scheme must be Bearer");
    }
    String token = space < 0 ? "" : value.substring(space + 1).stripLeading();
    if (!B64TOKEN.matcher(token).matches()) {
      throw AuthenticationException.invalidRequest(MALFORMED);
    }
    return token;
  }
}
