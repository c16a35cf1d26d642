package io.gameevents.config;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 128-bit secret key, as {@code dedup.hash_key} holds it: 32 hex characters or the base64 of 16 bytes.
 * Never printed: {@link #toString} hides it.
 */
public record HashKey(byte[] bytes) {

  public static final int BYTES = 16;

  /** What the fingerprint authenticates: a fixed text, so equal keys give equal fingerprints. */
  static final String FINGERPRINT_LABEL = "game-events dedup fingerprint";

  public HashKey {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a hash key has " + BYTES + " bytes");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Null when {@code name} is absent. */
  static HashKey from(Section s, String name) {
    String text = s.string(name, null);
    if (text == null) {
      return null;
    }
    byte[] decoded = decode(text.strip());
    if (decoded == null || decoded.length != BYTES) {
      // the message never echoes the value: it is a secret
      throw s.invalid(name, "must be 128 random bits as 32 hex characters or base64 (e.g. from `openssl rand "
          + "-hex 16`)");
    }
    return new HashKey(decoded);
  }

  private static byte[] decode(String text) {
    try {
      return text.length() == 2 * BYTES ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notEncoded) {
      return null;
    }
  }

  /**
   * Identifies the key without revealing it: HMAC-SHA256 of {@link #FINGERPRINT_LABEL} under the key, its first
   * 128 bits in hex. Whoever reads it (node metadata, the journal's identity file) learns nothing of the key and
   * can only test guesses of all 128 bits.
   */
  public String fingerprint() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
      byte[] tag = mac.doFinal(FINGERPRINT_LABEL.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(tag, 0, BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HashKey key && java.security.MessageDigest.isEqual(bytes, key.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "HashKey[hidden]";
  }
}
