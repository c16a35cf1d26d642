package io.gameevents.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The SDK's name and version (from its pom, via a filtered resource), sent as {@code context.sdk}. */
final class SdkInfo {

  static final String NAME = "game-events-java";
  static final String VERSION = readVersion();

  private SdkInfo() {
  }

  private static String readVersion() {
    try (InputStream in = SdkInfo.class.getResourceAsStream("game-events-sdk.properties")) {
      if (in == null) {
        throw new IllegalStateException("game-events-sdk.properties is missing from the SDK jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
