package io.gameevents.http.auth;

import io.gameevents.http.limit.TokenBucket;

import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request and which app_ids it may write events for.
 *
 * @param credentialId the API key's configured id, or {@code "jwt:" + sub} ({@code "jwt"} without sub);
 *                     safe to log, never a secret
 * @param appIds       allowed app_ids; {@code "*"} allows any
 * @param bucket       the rate limit its events are charged to (shared by every request of the credential, or of
 *                     the token subject), or null when it has none
 * @param allowedOrigins the web origins ({@code https://play.studio.com}) whose pages may send with it; empty
 *                     for a credential that is not for browsers
 */
public record Principal(String credentialId, Set<String> appIds, TokenBucket bucket, Set<String> allowedOrigins) {

  public static final String ANY_APP = "*";

  /** Not rate limited. */
  public Principal(String credentialId, Set<String> appIds) {
    this(credentialId, appIds, null);
  }

  /** Not usable from a browser page on another site. */
  public Principal(String credentialId, Set<String> appIds, TokenBucket bucket) {
    this(credentialId, appIds, bucket, Set.of());
  }

  public Principal {
    Objects.requireNonNull(credentialId, "credentialId");
    appIds = Set.copyOf(appIds);
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /** False means 403 for a request whose {@code Origin} (a browser page on another site) is this one. */
  public boolean mayBeUsedFrom(String origin) {
    return allowedOrigins.contains(origin);
  }

  /**
   * Whether the credential grants this app by name rather than through {@code "*"}: then the app_id is the
   * configuration's (or the token issuer's) text, not only the client's, and may be logged before it validated.
   */
  public boolean namesApp(String appId) {
    return appId != null && !ANY_APP.equals(appId) && appIds.contains(appId);
  }

  /** False means 403 for the request (or a rejected event inside a batch). */
  public boolean mayWrite(String appId) {
    // Set.copyOf sets throw on contains(null); a missing app_id is simply not writable
    return appId != null && (appIds.contains(ANY_APP) || appIds.contains(appId));
  }
}
