package io.gameevents.http.auth;

import io.gameevents.config.ConfigException;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the configured RS256/ES256 public key up front, so a wrong key fails start-up with a clear message
 * instead of every token failing later, and re-emits it as a canonical PEM: a key passed through an
 * environment variable often arrives on one line or with literal {@code \n} sequences.
 */
final class PublicKeyPem {

  static final String CONFIG_KEY = "auth.jwt.public_key_pem";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);
  private static final int MIN_RSA_BITS = 2048; // RFC 7518 3.3

  private PublicKeyPem() {
  }

  static String canonical(String algorithm, String pem) {
    Matcher block = BLOCK.matcher(pem == null ? "" : pem);
    if (!block.find()) {
      throw invalid("no '-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----' block");
    }
    String base64 = block.group(1).replace("\\n", "").replace("\\r", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid("the PEM body is not valid base64");
    }
    PublicKey key = parse(algorithm, der);
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw invalid("RS256 needs an RSA key of at least " + MIN_RSA_BITS + " bits");
    }
    if (key instanceof ECPublicKey ec && !isP256(ec.getParams())) {
      throw invalid("ES256 needs an EC key on curve P-256 (secp256r1)");
    }
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static PublicKey parse(String algorithm, byte[] der) {
    String keyType = switch (algorithm) {
      case "RS256" -> "RSA";
      case "ES256" -> "EC";
      default -> throw new IllegalArgumentException("no public key for " + algorithm);
    };
    try {
      return KeyFactory.getInstance(keyType).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw invalid("not an " + keyType + " public key, as " + algorithm + " requires");
    }
  }

  private static boolean isP256(ECParameterSpec params) {
    try {
      AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
      p256.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec expected = p256.getParameterSpec(ECParameterSpec.class);
      return expected.getCurve().equals(params.getCurve())
          && expected.getOrder().equals(params.getOrder())
          && expected.getGenerator().equals(params.getGenerator());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM supports secp256r1", e);
    }
  }

  private static ConfigException invalid(String reason) {
    return new ConfigException(CONFIG_KEY + ": " + reason);
  }
}
