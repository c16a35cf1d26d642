package io.gameevents.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Credentials: static API keys and/or one JWT verifier. At least one must be configured. Each credential's
 * rate limit is resolved here (its own, else {@code auth.default_rate_limit}, else none).
 */
public record AuthConfig(List<ApiKey> apiKeys, Jwt jwt) {

  /**
   * A static key. Exactly one of {@code key} (plain text, for development) or {@code sha256}
   * (hex digest of the key, for production) is set.
   */
  public record ApiKey(String id, String key, String sha256, List<String> appIds, RateLimitConfig rateLimit,
                       List<String> allowedOrigins) {
    /** Without a rate limit. */
    public ApiKey(String id, String key, String sha256, List<String> appIds) {
      this(id, key, sha256, appIds, null);
    }

    /** Not usable from a browser page on another site (no {@code allowed_origins}). */
    public ApiKey(String id, String key, String sha256, List<String> appIds, RateLimitConfig rateLimit) {
      this(id, key, sha256, appIds, rateLimit, List.of());
    }

    public ApiKey {
      allowedOrigins = List.copyOf(allowedOrigins);
    }

    @Override
    public String toString() {
      return "ApiKey[id=" + id + ", appIds=" + appIds + ", rateLimit=" + rateLimit
          + ", allowedOrigins=" + allowedOrigins + "]"; // never the secret
    }
  }

  /**
   * JWT verification: an HS256 secret, or an RS256/ES256 public key in PEM. {@code rateLimit} applies to each
   * token subject separately (to each set of apps for tokens without {@code sub}).
   *
   * @param audience           required: the {@code aud} tokens for this service carry, so a token the same issuer
   *                           minted for another service is no key here
   * @param maxLifetimeSeconds the longest a token may live ({@code exp - iat}, and {@code exp - now}): a leaked
   *                           token is not a key for ever
   * @param binding            the key's id and the apps its tokens may grant
   */
  public record Jwt(String algorithm, String secret, String publicKeyPem, String issuer, String audience,
                    long leewaySeconds, RateLimitConfig rateLimit, long maxLifetimeSeconds, KeyBinding binding) {

    public static final long DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

    /** Without a rate limit, with the default lifetime cap and no key binding. */
    public Jwt(String algorithm, String secret, String publicKeyPem, String issuer, String audience,
               long leewaySeconds) {
      this(algorithm, secret, publicKeyPem, issuer, audience, leewaySeconds, null);
    }

    /** With the default lifetime cap and no key binding. */
    public Jwt(String algorithm, String secret, String publicKeyPem, String issuer, String audience,
               long leewaySeconds, RateLimitConfig rateLimit) {
      this(algorithm, secret, publicKeyPem, issuer, audience, leewaySeconds, rateLimit, DEFAULT_MAX_LIFETIME_SECONDS,
          KeyBinding.NONE);
    }

    @Override
    public String toString() {
      return "Jwt[algorithm=" + algorithm + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
  }

  /**
   * The configured key's id ({@code auth.jwt.kid}: tokens must name it in their header) and the apps tokens it
   * signs may grant ({@code auth.jwt.app_ids}; {@code "*"} any). A token granting any other app is refused whole.
   */
  public record KeyBinding(String kid, Set<String> appIds) {

    public static final KeyBinding NONE = new KeyBinding(null, Set.of("*"));

    public KeyBinding {
      appIds = Set.copyOf(appIds);
    }

    /** Whether tokens of this key may grant the app. */
    public boolean allows(String appId) {
      return appIds.contains("*") || appIds.contains(appId);
    }
  }

  static AuthConfig from(Section s) {
    RateLimitConfig defaultLimit = RateLimitConfig.from(s, "default_rate_limit", null);
    List<ApiKey> keys = new ArrayList<>();
    var array = s.array("api_keys");
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw s.invalid("api_keys", "must be an array of objects");
      }
      keys.add(apiKey(new Section(s.key("api_keys") + "[" + i + "]", item), defaultLimit));
    }
    Jwt jwt = s.has("jwt") ? jwt(s.section("jwt"), defaultLimit) : null;
    s.done();
    if (keys.isEmpty() && jwt == null) {
      throw new ConfigException("no credentials configured: set auth.api_keys or auth.jwt "
          + "(or the GAME_EVENTS_API_KEYS / GAME_EVENTS_JWT_SECRET environment variables)");
    }
    return new AuthConfig(List.copyOf(keys), jwt);
  }

  private static ApiKey apiKey(Section s, RateLimitConfig defaultLimit) {
    String id = s.requiredString("id");
    Secret secret = Secret.from(s, id);
    List<String> appIds = s.strings("app_ids", List.of());
    if (appIds.isEmpty()) {
      throw s.invalid("app_ids", "must list the app_ids this key may write (or \"*\")");
    }
    RateLimitConfig rateLimit = RateLimitConfig.from(s, "rate_limit", defaultLimit);
    List<String> origins = new ArrayList<>();
    for (String origin : s.strings("allowed_origins", List.of())) {
      origins.add(WebOrigin.parse(origin, message -> s.invalid("allowed_origins", message)));
    }
    s.done();
    return new ApiKey(id, secret.key(), secret.sha256(), appIds, rateLimit, origins);
  }

  private static Jwt jwt(Section s, RateLimitConfig defaultLimit) {
    String algorithm = s.oneOf("algorithm", "HS256", Set.of("HS256", "RS256", "ES256"));
    String secret = s.string("secret", null);
    String pem = s.string("public_key_pem", null);
    if ("HS256".equals(algorithm) && (secret == null || secret.length() < 32)) {
      throw s.invalid("secret", "is required for HS256 and must be at least 32 characters");
    }
    if (!"HS256".equals(algorithm) && (pem == null || !pem.contains("BEGIN PUBLIC KEY"))) {
      throw s.invalid("public_key_pem", "is required for " + algorithm + " (a PEM 'BEGIN PUBLIC KEY' block)");
    }
    String audience = s.string("audience", null);
    if (audience == null || audience.isBlank()) {
      throw s.invalid("audience", "is required: the aud claim your token issuer puts in tokens for this service"
          + " (e.g. \"game-events\"), so a token minted for another service is refused");
    }
    String kid = s.string("kid", null);
    List<String> appIds = s.strings("app_ids", List.of("*"));
    if (appIds.isEmpty() || appIds.stream().anyMatch(String::isBlank)) {
      throw s.invalid("app_ids", "must list the app_ids tokens of this key may grant (or \"*\")");
    }
    Jwt jwt = new Jwt(algorithm, secret, pem, s.string("issuer", null), audience,
        s.longValue("leeway_seconds", 30, 0, 600), RateLimitConfig.from(s, "rate_limit", defaultLimit),
        s.longValue("max_lifetime_seconds", Jwt.DEFAULT_MAX_LIFETIME_SECONDS, 60, 31_536_000),
        new KeyBinding(kid == null || kid.isEmpty() ? null : kid, Set.copyOf(appIds)));
    s.done();
    return jwt;
  }
}
