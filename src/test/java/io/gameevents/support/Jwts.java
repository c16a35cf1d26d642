package io.gameevents.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Mints JWTs for tests with the JDK's own crypto, independent of vertx-auth-jwt (which verifies them), so a
 * test would notice if the two disagreed. Nothing here validates anything.
 */
public final class Jwts {

  /** The audience the tests' JWT configs require ({@code auth.jwt.audience}), and {@link #claims} carry. */
  public static final String AUDIENCE = "game-events";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {
  }

  /** Typical valid claims: {@code sub=test-client}, {@code aud=game-events}, {@code app_id}, {@code iat=now}, {@code exp=now+300}. */
  public static JsonObject claims(String appId) {
    return timedClaims().put("app_id", appId);
  }

  /** Like {@link #claims(String)} but granting several apps through the {@code app_ids} array claim. */
  public static JsonObject claimsForApps(String... appIds) {
    return timedClaims().put("app_ids", new JsonArray(List.of(appIds)));
  }

  private static JsonObject timedClaims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "test-client").put("aud", AUDIENCE).put("iat", now).put("exp", now + 300);
  }

  public static String hs256(String secret, JsonObject claims) {
    return sign(header("HS256"), claims, hmacKey(secret));
  }

  public static String rs256(PrivateKey key, JsonObject claims) {
    return sign(header("RS256"), claims, key);
  }

  public static String es256(PrivateKey key, JsonObject claims) {
    return sign(header("ES256"), claims, key);
  }

  /** {@code {"alg":"none"}} with an empty signature part: {@code header.payload.} */
  public static String unsigned(JsonObject claims) {
    return encode(header("none")) + "." + encode(claims) + ".";
  }

  /**
   * Any header (extra fields such as {@code kid} or {@code crit}, or an {@code alg} that does not match the
   * key's intended use); the signature algorithm follows the header's {@code alg}: HS256 with a
   * {@link #hmacKey}, RS256 with an RSA private key, ES256 with an EC P-256 private key.
   */
  public static String sign(JsonObject header, JsonObject claims, Key key) {
    String signingInput = encode(header) + "." + encode(claims);
    byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
    try {
      byte[] signature = switch (header.getString("alg")) {
        case "HS256" -> {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(key);
          yield mac.doFinal(input);
        }
        case "RS256" -> signWith("SHA256withRSA", (PrivateKey) key, input);
        // JWS wants the raw R||S form (RFC 7518 3.4), not the JDK's default DER encoding
        case "ES256" -> signWith("SHA256withECDSAinP1363Format", (PrivateKey) key, input);
        default -> throw new IllegalArgumentException("cannot sign alg " + header.getString("alg"));
      };
      return signingInput + "." + BASE64URL.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Key hmacKey(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A fresh 2048-bit RSA key pair. */
  public static KeyPair rsaKeyPair() {
    return rsaKeyPair(2048);
  }

  public static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh EC key pair on P-256 (secp256r1), the curve ES256 requires. */
  public static KeyPair ecKeyPair() {
    return ecKeyPair("secp256r1");
  }

  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code -----BEGIN PUBLIC KEY-----} PEM of a key, as {@code auth.jwt.public_key_pem} expects. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static JsonObject header(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT");
  }

  private static byte[] signWith(String algorithm, PrivateKey key, byte[] input) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(key);
    signature.update(input);
    return signature.sign();
  }

  private static String encode(JsonObject json) {
    return BASE64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
