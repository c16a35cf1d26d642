package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.http.limit.Buckets;
import io.gameevents.http.limit.TokenBucket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Verifies JWTs: vertx-auth-jwt checks the signature with the one configured key; the claims are checked
 * here, because vertx-auth-jwt accepts a token without {@code exp} forever, throws (instead of failing) on a
 * non-numeric exp/nbf/iat, and words its failures for developers, not clients. The header is screened first
 * so {@code alg: none} or an algorithm other than the configured one never reaches it.
 */
final class JwtVerifier {

  /** Three base64url parts; the signature part may be empty (alg none) so that case gets its own answer. */
  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final JWTAuth jwtAuth;
  private final AuthConfig.Jwt config;
  private final Clock clock;
  private final Buckets buckets; // null without auth.jwt.rate_limit (or a default)

  private JwtVerifier(JWTAuth jwtAuth, AuthConfig.Jwt config, Clock clock, LongSupplier rateClock) {
    this.jwtAuth = jwtAuth;
    this.config = config;
    this.clock = clock;
    this.buckets = config.rateLimit() == null ? null : new Buckets(config.rateLimit(), rateClock);
  }

  static boolean looksLikeJwt(String token) {
    return JWT_SHAPE.matcher(token).matches();
  }

  static JwtVerifier create(Vertx vertx, AuthConfig.Jwt config, Clock clock, LongSupplier rateClock) {
    if (config.audience() == null || config.audience().isBlank()) {
      // AuthConfig refuses it too; this class never runs without an audience to check
      throw new ConfigException("config key 'auth.jwt.audience' is required");
    }
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(config.algorithm());
    String configKey;
    if ("HS256".equals(config.algorithm())) {
      configKey = "auth.jwt.secret";
      key.setBuffer(config.secret());
    } else {
      configKey = PublicKeyPem.CONFIG_KEY;
      key.setBuffer(PublicKeyPem.canonical(config.algorithm(), config.publicKeyPem()));
    }
    // signature only: expiry, issuer and audience are checked in checkClaims
    JWTOptions signatureOnly = new JWTOptions().setIgnoreExpiration(true);
    try {
      JWTAuth jwtAuth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(signatureOnly));
      return new JwtVerifier(jwtAuth, config, clock, rateClock);
    } catch (RuntimeException e) {
      // the cause's message could quote key material (a secret): name the key only
      throw new ConfigException(configKey + ": not a usable " + config.algorithm() + " key ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** @param token a token for which {@link #looksLikeJwt} is true */
  Future<Principal> verify(String token) {
    String[] parts = token.split("\\.", -1);
    JsonObject header = decodePart(parts[0]);
    checkHeader(header);
    JsonObject claims = decodePart(parts[1]);
    checkTimeClaimTypes(claims);
    Future<User> signature;
    try {
      signature = jwtAuth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) { // it throws on some malformed input instead of failing the future
      signature = Future.failedFuture(e);
    }
    return signature
        .recover(signatureFailure -> Future.failedFuture(invalid("token signature is invalid")))
        // the signature covers parts[1], so the claims decoded above are now trusted
        .map(user -> checkClaims(claims));
  }

  private void checkHeader(JsonObject header) {
    if (!(header.getValue("alg") instanceof String alg)) {
      throw invalid("token header has no alg");
    }
    if ("none".equalsIgnoreCase(alg)) {
      throw invalid("unsigned tokens (alg none) are not accepted");
    }
    if (!alg.equals(config.algorithm())) {
      // never echo the client's alg: the reason goes into a quoted header parameter
      throw invalid("token algorithm is not accepted, expected " + config.algorithm());
    }
    String kid = config.binding().kid();
    if (kid != null && !kid.equals(header.getValue("kid"))) {
      throw invalid("token key id (kid) is not accepted"); // never echo the client's kid, as for alg
    }
    if (header.containsKey("crit")) {
      throw invalid("token has critical header parameters this server does not understand"); // RFC 7515 4.1.11
    }
  }

  private Principal checkClaims(JsonObject claims) {
    long now = clock.instant().getEpochSecond();
    long leeway = config.leewaySeconds();
    double expiry = ((Number) claims.getValue("exp")).doubleValue();
    if (now >= expiry + leeway) {
      throw invalid("token expired");
    }
    checkLifetime(claims, expiry, now);
    if (claims.getValue("nbf") instanceof Number notBefore && now + leeway < notBefore.doubleValue()) {
      throw invalid("token is not valid yet");
    }
    if (config.issuer() != null && !config.issuer().equals(claims.getValue("iss"))) {
      throw invalid("token issuer is not accepted");
    }
    if (!hasAudience(claims.getValue("aud"))) {
      throw invalid("token audience is not accepted");
    }
    String subject = claims.getValue("sub") instanceof String sub && !sub.isEmpty() ? sub : null;
    Set<String> appIds = appIds(claims);
    if (!appIds.stream().allMatch(config.binding()::allows)) {
      // refused whole, not narrowed: a key that signs for apps it is not bound to is misused or stolen
      throw invalid("token grants an app its signing key may not grant");
    }
    return new Principal(subject == null ? "jwt" : "jwt:" + subject, appIds, bucket(subject, appIds));
  }

  /**
   * {@code exp - iat}, and {@code exp - now} (for a token without iat, or with one set in the future), at most
   * {@code max_lifetime_seconds}: a token leaked from a device or a log, or an issuer's mistake
   * ({@code exp: 1e300}), is not a key for years.
   */
  private void checkLifetime(JsonObject claims, double expiry, long now) {
    long max = config.maxLifetimeSeconds();
    boolean tooLong = expiry - now > max + config.leewaySeconds();
    if (claims.getValue("iat") instanceof Number issuedAt) {
      tooLong |= expiry - issuedAt.doubleValue() > max;
    }
    if (tooLong) {
      throw invalid("token lifetime is longer than this server accepts");
    }
  }

  /** One bucket per subject; tokens without one share a bucket per set of apps they grant. */
  private TokenBucket bucket(String subject, Set<String> appIds) {
    if (buckets == null) {
      return null;
    }
    String key = subject != null ? "sub:" + subject : "apps:" + String.join(",", new TreeSet<>(appIds));
    return buckets.get(key);
  }

  /**
   * Before the signature check: vertx-auth-jwt reads exp, nbf and iat as numbers and throws on anything else;
   * and a token without exp would never expire.
   */
  private static void checkTimeClaimTypes(JsonObject claims) {
    if (claims.getValue("exp") == null) {
      throw invalid("token has no exp claim");
    }
    for (String claim : new String[] {"exp", "nbf", "iat"}) {
      Object value = claims.getValue(claim);
      if (value != null && !(value instanceof Number)) {
        throw invalid("token " + claim + " claim is not a number");
      }
    }
  }

  private boolean hasAudience(Object aud) {
    if (aud instanceof JsonArray list) {
      return list.contains(config.audience());
    }
    return config.audience().equals(aud);
  }

  /** Union of the {@code app_ids} array and the {@code app_id} string; at least one app is required. */
  private static Set<String> appIds(JsonObject claims) {
    Set<String> appIds = new HashSet<>();
    Object list = claims.getValue("app_ids");
    if (list != null) {
      if (!(list instanceof JsonArray array)) {
        throw invalid("token app_ids claim must be an array of strings");
      }
      for (Object item : array) {
        if (!(item instanceof String appId) || appId.isBlank()) {
          throw invalid("token app_ids claim must be an array of strings");
        }
        appIds.add(appId);
      }
    }
    Object single = claims.getValue("app_id");
    if (single != null) {
      if (!(single instanceof String appId) || appId.isBlank()) {
        throw invalid("token app_id claim must be a string");
      }
      appIds.add(appId);
    }
    if (appIds.isEmpty()) {
      throw invalid("token grants no app_id");
    }
    if (appIds.contains(Principal.ANY_APP)) {
      // the wildcard is for API keys an operator configures; a token's app claims may come from a studio
      throw invalid("token may not grant every app (wildcard app_id)");
    }
    return appIds;
  }

  private static JsonObject decodePart(String base64url) {
    try {
      return new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(base64url)));
    } catch (RuntimeException e) { // bad base64, not JSON, or not a JSON object
      throw invalid("malformed token");
    }
  }

  private static AuthenticationException invalid(String reason) {
    return AuthenticationException.invalidToken(reason);
  }
}
