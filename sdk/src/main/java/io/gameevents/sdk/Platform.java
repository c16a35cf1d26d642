package io.gameevents.sdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The platforms the server accepts in {@code platform}; events carry the lower-case wire name. */
public enum Platform {
  IOS, ANDROID, WEB, WINDOWS, MACOS, LINUX, PLAYSTATION, XBOX, SWITCH, STEAM, OTHER;

  /** The name sent on the wire, e.g. {@code "ios"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name exactly as the server does (lower case only).
   *
   * @throws IllegalArgumentException naming the field and the accepted values
   */
  public static Platform fromWireName(String value) {
    for (Platform platform : values()) {
      if (platform.wireName().equals(value)) {
        return platform;
      }
    }
    throw new IllegalArgumentException("platform must be one of " + accepted() + ", got '" + value + "'");
  }

  private static String accepted() {
    return Arrays.stream(values()).map(Platform::wireName).collect(Collectors.joining(", "));
  }
}
