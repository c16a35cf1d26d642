package io.gameevents.cluster;

import io.gameevents.config.ClusterSecret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Proves that what a member wrote into Hazelcast came from a holder of {@code cluster.secret}: an HMAC-SHA256 under
 * a key derived from the secret for this use only (so the secret could serve another purpose without the two
 * proofs standing in for each other). Each proof names its kind, so a node's proof never passes for an owner
 * entry's, and covers each field length-prefixed, so no two field lists prove alike.
 */
public final class ClusterKey {

  /** What the proof key is derived for: changing it invalidates every proof. */
  static final String DERIVATION_LABEL = "game-events cluster proof key v1";
  private static final String FINGERPRINT_LABEL = "game-events cluster secret fingerprint v1";
  private static final int PROOF_BYTES = 16;
  private static final String HMAC = "HmacSHA256";

  private final byte[] key;

  private ClusterKey(byte[] key) {
    this.key = key;
  }

  public static ClusterKey derive(ClusterSecret secret) {
    return new ClusterKey(hmac(secret.bytes(), DERIVATION_LABEL.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * A single node's key: its owner map is a local map nobody else writes, so any key of its own does, and entries
   * then take the same path as in a cluster.
   */
  public static ClusterKey random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new ClusterKey(key);
  }

  /** The proof of {@code fields} as {@code kind}: 128 bits, base64url without padding (22 characters). */
  public String prove(String kind, Object... fields) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(tag(kind, fields));
  }

  /**
   * Whether {@code proof} is {@link #prove}'s for these fields, compared as text in constant time: decoding it
   * first would take a last character that differs only in base64's unused bits.
   */
  public boolean verifies(String proof, String kind, Object... fields) {
    if (proof == null) {
      return false;
    }
    return MessageDigest.isEqual(proof.getBytes(StandardCharsets.UTF_8),
        prove(kind, fields).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Identifies the secret without revealing it, for members to compare at join; 128 bits, so whoever reads node
   * metadata can only test guesses of a secret too long to guess.
   */
  public String fingerprint() {
    return HexFormat.of().formatHex(hmac(key, FINGERPRINT_LABEL.getBytes(StandardCharsets.US_ASCII)), 0, 16);
  }

  private byte[] tag(String kind, Object... fields) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      update(mac, kind);
      for (Object field : fields) {
        update(mac, field == null ? "\0null" : field.toString());
      }
      byte[] full = mac.doFinal();
      return java.util.Arrays.copyOf(full, PROOF_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  private static void update(Mac mac, String field) {
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    mac.update(bytes);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterKey[hidden]";
  }
}
