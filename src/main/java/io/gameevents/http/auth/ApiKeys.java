package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.config.Secret;
import io.gameevents.http.limit.TokenBucket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/** Static API keys, held only as SHA-256 digests and looked up in constant time ({@link HashedSecrets}). */
final class ApiKeys {

  private final HashedSecrets<Principal> keys;
  /** Every key's allowed_origins: the origins a preflight is answered for. */
  private final Set<String> origins;
  /** Each key's app_ids by its id (ids are not secret): what replay asks of a refused event's original key. */
  private final Map<String, Set<String>> appsById;

  private ApiKeys(HashedSecrets<Principal> keys, Set<String> origins, Map<String, Set<String>> appsById) {
    this.keys = keys;
    this.origins = Set.copyOf(origins);
    this.appsById = Map.copyOf(appsById);
  }

  /** @param jwtConfigured plain keys that look like a JWT would never reach this lookup, so they are refused */
  static ApiKeys from(List<AuthConfig.ApiKey> configured, boolean jwtConfigured, LongSupplier rateClock) {
    HashedSecrets<Principal> keys = new HashedSecrets<>();
    Set<String> origins = new HashSet<>();
    Map<String, Set<String>> appsById = new HashMap<>();
    for (int i = 0; i < configured.size(); i++) {
      AuthConfig.ApiKey key = configured.get(i);
      String path = "auth.api_keys[" + i + "]";
      if (key.key() != null) {
        checkUsableAsBearerToken(key.key(), path + ".key", jwtConfigured);
      }
      TokenBucket bucket = key.rateLimit() == null ? null : new TokenBucket(key.rateLimit(), rateClock);
      keys.add(path, new Secret(key.key(), key.sha256()), new Principal(key.id(), Set.copyOf(key.appIds()), bucket,
          Set.copyOf(key.allowedOrigins())));
      origins.addAll(key.allowedOrigins());
      // two keys under one id (a rotation's old and new secret): a refused record names the id, not which
      // secret sent it, so only the apps both may write count
      appsById.merge(key.id(), Set.copyOf(key.appIds()), (a, b) -> {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return Set.copyOf(both);
      });
    }
    return new ApiKeys(keys, origins, appsById);
  }

  /** The key's principal, or throws "unknown API key". */
  Principal find(String token) {
    Principal match = keys.find(token);
    if (match == null) {
      throw AuthenticationException.invalidToken("unknown API key");
    }
    return match;
  }

  Optional<Set<String>> appsOf(String keyId) {
    return Optional.ofNullable(keyId == null ? null : appsById.get(keyId));
  }

  /** Whether some key may be used from pages of this origin. */
  boolean someKeyAllows(String origin) {
    return origins.contains(origin);
  }

  static void checkUsableAsBearerToken(String key, String path, boolean jwtConfigured) {
    if (!BearerHeader.B64TOKEN.matcher(key).matches()) {
      throw new ConfigException(path + ": may only contain A-Z a-z 0-9 - . _ ~ + / (then '=' padding), "
          + "the characters a Bearer token can carry");
    }
    if (jwtConfigured && JwtVerifier.looksLikeJwt(key)) {
      throw new ConfigException(path + ": looks like a JWT (three dot-separated parts) and would be verified "
          + "as one; choose a key without dots");
    }
  }
}
