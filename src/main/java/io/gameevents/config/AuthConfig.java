package io.gameevents.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Credentials: static API keys and/or one JWT verifier. At least one must be configured. */
public record AuthConfig(List<ApiKey> apiKeys, Jwt jwt) {

  /**
   * A static key. Exactly one of {@code key} (plain text, for development) or {@code sha256}
   * (hex digest of the key, for production) is set.
   */
  public record ApiKey(String id, String key, String sha256, List<String> appIds) {
    @Override
    public String toString() {
      return "ApiKey[id=" + id + ", appIds=" + appIds + "]"; // never the secret
    }
  }

  /** JWT verification: an HS256 secret, or an RS256/ES256 public key in PEM. */
  public record Jwt(String algorithm, String secret, String publicKeyPem, String issuer, String audience,
                    long leewaySeconds) {
    @Override
    public String toString() {
      return "Jwt[algorithm=" + algorithm + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
  }

  static AuthConfig from(Section s) {
    List<ApiKey> keys = new ArrayList<>();
    var array = s.array("api_keys");
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw s.invalid("api_keys", "must be an array of objects");
      }
      keys.add(apiKey(new Section(s.key("api_keys") + "[" + i + "]", item)));
    }
    Jwt jwt = s.has("jwt") ? jwt(s.section("jwt")) : null;
    s.done();
    if (keys.isEmpty() && jwt == null) {
      throw new ConfigException("no credentials configured: set auth.api_keys or auth.jwt "
          + "(or the GAME_EVENTS_API_KEYS / GAME_EVENTS_JWT_SECRET environment variables)");
    }
    return new AuthConfig(List.copyOf(keys), jwt);
  }

  private static ApiKey apiKey(Section s) {
    String id = s.requiredString("id");
    String key = s.string("key", null);
    String sha256 = s.string("sha256", null);
    if ((key == null) == (sha256 == null)) {
      throw s.invalid("key", "or '" + s.key("sha256") + "': set exactly one of them");
    }
    if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw s.invalid("sha256", "must be 64 hex characters (the SHA-256 of the key)");
    }
    if (key != null && key.length() < 8) {
      throw s.invalid("key", "must be at least 8 characters");
    }
    List<String> appIds = s.strings("app_ids", List.of());
    if (appIds.isEmpty()) {
      throw s.invalid("app_ids", "must list the app_ids this key may write (or \"*\")");
    }
    s.done();
    return new ApiKey(id, key, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT), appIds);
  }

  private static Jwt jwt(Section s) {
    String algorithm = s.oneOf("algorithm", "HS256", Set.of("HS256", "RS256", "ES256"));
    String secret = s.string("secret", null);
    String pem = s.string("public_key_pem", null);
    if ("HS256".equals(algorithm) && (secret == null || secret.length() < 32)) {
      throw s.invalid("secret", "is required for HS256 and must be at least 32 characters");
    }
    if (!"HS256".equals(algorithm) && (pem == null || !pem.contains("BEGIN PUBLIC KEY"))) {
      throw s.invalid("public_key_pem", "is required for " + algorithm + " (a PEM 'BEGIN PUBLIC KEY' block)");
    }
    Jwt jwt = new Jwt(algorithm, secret, pem, s.string("issuer", null), s.string("audience", null),
        s.longValue("leeway_seconds", 30, 0, 600));
    s.done();
    return jwt;
  }
}
