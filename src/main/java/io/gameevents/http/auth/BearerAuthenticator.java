package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Dispatches a bearer token: JWT-shaped tokens go to the JWT verifier when one is configured, everything
 * else is looked up as a static API key.
 */
final class BearerAuthenticator implements Authenticator {

  private final ApiKeys apiKeys;
  private final JwtVerifier jwt; // null when auth.jwt is not configured

  private BearerAuthenticator(ApiKeys apiKeys, JwtVerifier jwt) {
    this.apiKeys = apiKeys;
    this.jwt = jwt;
  }

  /** With a clock, so tests can place a token exactly at the expiry boundary. */
  static Future<Authenticator> create(Vertx vertx, AuthConfig config, Clock clock) {
    return create(vertx, config, clock, System::nanoTime);
  }

  static Future<Authenticator> create(Vertx vertx, AuthConfig config, Clock clock, LongSupplier rateClock) {
    try {
      JwtVerifier jwt = config.jwt() == null ? null : JwtVerifier.create(vertx, config.jwt(), clock, rateClock);
      ApiKeys apiKeys = ApiKeys.from(config.apiKeys() == null ? List.of() : config.apiKeys(), jwt != null, rateClock);
      return Future.succeededFuture(new BearerAuthenticator(apiKeys, jwt));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** JWTs carry no allowed origins: a browser build uses an API key with allowed_origins. */
  @Override
  public boolean someCredentialAllows(String origin) {
    return apiKeys.someKeyAllows(origin);
  }

  @Override
  public Optional<Set<String>> appsOfKey(String keyId) {
    return apiKeys.appsOf(keyId);
  }

  @Override
  public Future<Principal> authenticate(String authorizationHeader) {
    try {
      String token = BearerHeader.token(authorizationHeader);
      if (jwt != null && JwtVerifier.looksLikeJwt(token)) {
        return jwt.verify(token);
      }
      return Future.succeededFuture(apiKeys.find(token));
    } catch (RuntimeException e) { // AuthenticationException, or a bug: either way a failed future, never a throw
      return Future.failedFuture(e);
    }
  }
}
