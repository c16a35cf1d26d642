package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/** Checks the {@code Authorization} header of a request. Thread-safe: one instance may serve all verticles. */
public interface Authenticator {

  /**
   * Resolves the principal, on the caller's context; fails with {@link AuthenticationException} when the
   * header is missing or malformed or the token is not accepted.
   *
   * @param authorizationHeader the raw header value, or null when the request has none
   */
  Future<Principal> authenticate(String authorizationHeader);

  /**
   * Whether some credential may be used from web pages of {@code origin} (its {@code allowed_origins}): a CORS
   * preflight carries no credential, so it is answered for any origin that one of them allows.
   */
  boolean someCredentialAllows(String origin);

  /**
   * The app_ids the configured API key with this id ({@code auth.api_keys[].id}) may write now; empty when no
   * configured key has that id (a key removed since, or a JWT's {@code "jwt:" + sub}, whose apps were the token's
   * and are not known later). Replay checks a refused event's app against its original key with this.
   */
  Optional<Set<String>> appsOfKey(String keyId);

  /**
   * Prepares the configured API keys and JWT verifier. Fails with a
   * {@link io.gameevents.config.ConfigException} naming the key (e.g. {@code auth.jwt.public_key_pem}) when
   * key material is unusable.
   */
  static Future<Authenticator> create(Vertx vertx, AuthConfig config) {
    return create(vertx, config, System::nanoTime);
  }

  /** @param rateClock nanos for the rate-limit buckets ({@link System#nanoTime}; tests move their own) */
  static Future<Authenticator> create(Vertx vertx, AuthConfig config, LongSupplier rateClock) {
    return BearerAuthenticator.create(vertx, config, Clock.systemUTC(), rateClock);
  }
}
