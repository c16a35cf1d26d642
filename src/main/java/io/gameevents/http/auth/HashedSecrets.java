package io.gameevents.http.auth;

import io.gameevents.config.ConfigException;
import io.gameevents.config.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Static secrets held only as SHA-256 digests, each with what it grants (API keys and admin tokens).
 *
 * <p>{@link #find} compares the presented token's digest with every stored digest using
 * {@link MessageDigest#isEqual} and never stops early, so the time taken does not depend on which secret (or
 * which prefix of it) matched. A map keyed by the digest would also be safe (an attacker cannot choose a token
 * whose digest shares a prefix with a secret's), but with a handful of secrets the full scan costs nothing and is
 * obviously constant-time, so there is nothing to argue about.
 */
final class HashedSecrets<T> {

  private record Stored<T>(String path, byte[] sha256, T value) {
  }

  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(HashedSecrets::newSha256);

  private final List<Stored<T>> stored = new ArrayList<>();

  /** Adds a configured secret; the plain key, if any, is hashed here and not kept. */
  void add(String path, Secret secret, T value) {
    byte[] digest = digestOf(secret);
    String same = pathOf(digest);
    if (same != null) {
      // two ids for one secret: which one would it be?
      throw new ConfigException(path + ": same key as " + same);
    }
    stored.add(new Stored<>(path, digest, value));
  }

  /** The config path of the secret with this digest, or null. */
  String pathOf(byte[] digest) {
    String match = null;
    for (Stored<T> secret : stored) {
      if (MessageDigest.isEqual(secret.sha256(), digest)) {
        match = secret.path();
      }
    }
    return match;
  }

  /** What the token grants, or null when it is none of these secrets. */
  T find(String token) {
    byte[] presented = sha256(token);
    T match = null;
    for (Stored<T> secret : stored) {
      if (MessageDigest.isEqual(secret.sha256(), presented)) {
        match = secret.value(); // keep scanning: no early exit (see class comment)
      }
    }
    return match;
  }

  static byte[] digestOf(Secret secret) {
    return secret.key() != null ? sha256(secret.key()) : HexFormat.of().parseHex(secret.sha256());
  }

  static byte[] sha256(String text) {
    // digest() resets the digest, so each thread reuses one: getInstance looks the provider up on every call
    return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
