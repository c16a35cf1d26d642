package io.gameevents.suppression;

import io.gameevents.config.ClusterSecret;
import io.gameevents.config.ConfigException;
import io.gameevents.util.PrivateFiles;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key the list's digests are made under. In a cluster every node must make the same digests, so it is derived
 * from {@code cluster.secret} (for this use only: the derivation label differs from the proofs'); a single node
 * keeps a random key of its own in {@code privacy.directory/suppression.key} (0600), made on first start.
 */
public final class SuppressionKey {

  static final String FILE = "suppression.key";
  private static final String LABEL = "game-events suppression digest key v1";

  private SuppressionKey() {
  }

  public static byte[] derive(ClusterSecret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal(LABEL.getBytes(StandardCharsets.US_ASCII)), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  /** Reads the node's key file, or makes it (written whole or not at all). */
  public static byte[] ownKey(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    if (Files.exists(file)) {
      try {
        byte[] key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
        if (key.length == 16) {
          return key;
        }
      } catch (IllegalArgumentException notHex) {
        // reported below
      }
      throw new ConfigException("suppression key file " + file.toAbsolutePath() + " is not 32 hex characters: "
          + "restore it (without it the suppression list in the same directory matches nobody)");
    }
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    PrivateFiles.createDirectories(directory);
    PrivateFiles.writeAtomically(file, HexFormat.of().formatHex(key) + "\n");
    return key;
  }
}
