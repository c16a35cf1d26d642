package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.http.limit.TokenBucket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Static API keys, held only as SHA-256 digests: a plain key from the config is hashed here and not kept.
 *
 * <p>Lookup compares the presented token's digest with every configured digest using
 * {@link MessageDigest#isEqual} and never stops early, so the time taken does not depend on which key (or
 * which prefix of it) matched. A map keyed by the digest would also be safe (an attacker cannot choose a
 * token whose digest shares a prefix with a key's), but with a handful of keys the full scan costs nothing
 * and is obviously constant-time, so there is nothing to argue about.
 */
final class ApiKeys {

  private record StoredKey(byte[] sha256, Principal principal) {
  }

  private final List<StoredKey> keys;
  /** Every key's allowed_origins: the origins a preflight is answered for. */
  private final Set<String> origins;

  private ApiKeys(List<StoredKey> keys) {
    this.keys = keys;
    Set<String> all = new HashSet<>();
    keys.forEach(key -> all.addAll(key.principal().allowedOrigins()));
    this.origins = Set.copyOf(all);
  }

  /** @param jwtConfigured plain keys that look like a JWT would never reach this lookup, so they are refused */
  static ApiKeys from(List<AuthConfig.ApiKey> configured, boolean jwtConfigured, LongSupplier rateClock) {
    List<StoredKey> keys = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      AuthConfig.ApiKey key = configured.get(i);
      String path = "auth.api_keys[" + i + "]";
      byte[] digest;
      if (key.key() != null) {
        checkUsableAsBearerToken(key.key(), path + ".key", jwtConfigured);
        digest = sha256(key.key());
      } else {
        digest = HexFormat.of().parseHex(key.sha256());
      }
      for (int j = 0; j < keys.size(); j++) {
        if (MessageDigest.isEqual(keys.get(j).sha256(), digest)) {
          // two ids for one secret: which app_ids would it grant?
          throw new ConfigException(path + ": same key as auth.api_keys[" + j + "]");
        }
      }
      TokenBucket bucket = key.rateLimit() == null ? null : new TokenBucket(key.rateLimit(), rateClock);
      keys.add(new StoredKey(digest, new Principal(key.id(), Set.copyOf(key.appIds()), bucket,
          Set.copyOf(key.allowedOrigins()))));
    }
    return new ApiKeys(List.copyOf(keys));
  }

  /** The key's principal, or throws "unknown API key". */
  Principal find(String token) {
    byte[] presented = sha256(token);
    Principal match = null;
    for (StoredKey key : keys) {
      if (MessageDigest.isEqual(key.sha256(), presented)) {
        match = key.principal(); // keep scanning: no early exit (see class comment)
      }
    }
    if (match == null) {
      throw AuthenticationException.invalidToken("unknown API key");
    }
    return match;
  }

  /** Whether some key may be used from pages of this origin. */
  boolean someKeyAllows(String origin) {
    return origins.contains(origin);
  }

  private static void checkUsableAsBearerToken(String key, String path, boolean jwtConfigured) {
    if (!BearerHeader.B64TOKEN.matcher(key).matches()) {
      throw new ConfigException(path + ": may only contain A-Z a-z 0-9 - . _ ~ + / (then '=' padding), "
          + "the characters a Bearer token can carry");
    }
    if (jwtConfigured && JwtVerifier.looksLikeJwt(key)) {
      throw new ConfigException(path + ": looks like a JWT (three dot-separated parts) and would be verified "
          + "as one; choose a key without dots");
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
