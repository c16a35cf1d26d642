package io.gameevents.http.auth;

import io.vertx.core.Future;

import java.util.Optional;
import java.util.Set;

/**
 * The authenticator the HTTP stage holds, whose keys can be replaced while the service runs (key
 * rotation without a restart). A request is checked against the keys current when it arrived; the
 * swap is one volatile write, so the hot path pays one volatile read.
 */
public final class ReloadableAuthenticator implements Authenticator {

  private volatile Authenticator current;

  public ReloadableAuthenticator(Authenticator initial) {
    this.current = initial;
  }

  @Override
  public Future<Principal> authenticate(String authorizationHeader) {
    return current.authenticate(authorizationHeader);
  }

  @Override
  public boolean someCredentialAllows(String origin) {
    return current.someCredentialAllows(origin);
  }

  @Override
  public Optional<Set<String>> appsOfKey(String keyId) {
    return current.appsOfKey(keyId);
  }

  public void replace(Authenticator next) {
    current = next;
  }
}
