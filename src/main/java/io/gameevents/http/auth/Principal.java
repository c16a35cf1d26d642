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
 */
public record Principal(String credentialId, Set<String> appIds, TokenBucket bucket) {

  public static final String ANY_APP = "*";

  /** Not rate limited. */
  public Principal(String credentialId, Set<String> appIds) {
    this(credentialId, appIds, null);
  }

  public Principal {
    Objects.requireNonNull(credentialId, "credentialId");
    appIds = Set.copyOf(appIds);
  }

  /** False means 403 for the request (or a rejected event inside a batch). */
  public boolean mayWrite(String appId) {
    // Set.copyOf sets throw on contains(null); a missing app_id is simply not writable
    return appId != null && (appIds.contains(ANY_APP) || appIds.contains(appId));
  }
}
