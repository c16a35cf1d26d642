package io.gameevents.http.auth;

/**
 * The request is not authenticated: answer 401 with {@link #wwwAuthenticate()}. The message is a short,
 * fixed, client-safe reason (never contains the token) and may be sent back as the error description.
 */
public final class AuthenticationException extends RuntimeException {

  /** RFC 6750 error code for a malformed Authorization header (RFC 6750 suggests status 400 for it). */
  public static final String INVALID_REQUEST = "invalid_request";
  /** RFC 6750 error code for a token that is unknown, expired, badly signed or grants nothing. */
  public static final String INVALID_TOKEN = "invalid_token";

  private final String bearerError;

  private AuthenticationException(String bearerError, String reason) {
    // no stack trace: thrown for every bad request, and the reason says all there is to say
    super(reason, null, false, false);
    this.bearerError = bearerError;
  }

  /** No bearer credentials at all (no header, or another scheme such as Basic): no error code, per RFC 6750 3.1. */
  static AuthenticationException missing(String reason) {
    return new AuthenticationException(null, reason);
  }

  static AuthenticationException invalidRequest(String reason) {
    return new AuthenticationException(INVALID_REQUEST, reason);
  }

  static AuthenticationException invalidToken(String reason) {
    return new AuthenticationException(INVALID_TOKEN, reason);
  }

  /** {@code invalid_request}, {@code invalid_token}, or null when the client sent no bearer credentials. */
  public String bearerError() {
    return bearerError;
  }

  /**
   * Value for the {@code WWW-Authenticate} response header, e.g.
   * {@code Bearer error="invalid_token", error_description="token expired"}. Reasons are fixed ASCII
   * strings without quotes or backslashes, so they need no escaping.
   */
  public String wwwAuthenticate() {
    if (bearerError == null) {
      return "Bearer";
    }
    return "Bearer error=\"" + bearerError + "\", error_description=\"" + getMessage() + "\"";
  }
}
