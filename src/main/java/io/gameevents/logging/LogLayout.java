package io.gameevents.logging;

import io.gameevents.config.LogConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Chooses the layout Logback starts with. Logback configures itself once, when the first logger is created,
 * and Vert.x creates one as soon as anything parses JSON, long before the service reads its config. So
 * {@link io.gameevents.Main} calls {@link #select} first thing, and {@link LogSetup} reads the system property set
 * here.
 *
 * <p>This early read is lenient on purpose: it only picks a layout, parsing with plain Jackson (no Vert.x, so
 * no logger). A file it cannot read or a value that is neither json nor text gives json here; the checks that
 * follow (the {@code -conf} file's, then {@link LogConfig}'s with the rest of the config) refuse them with
 * their usual one-line message.
 */
public final class LogLayout {

  public static final String PROPERTY = "game-events.log.format";

  private LogLayout() {
  }

  /**
   * Must run before the first logger of the process is created; later calls change nothing. Logback creates
   * {@link LogSetup} itself, so the layout and the root level it is to use travel as system properties, taken
   * here from the environment Main read (a level given as a system property wins, as in Logback's own
   * {@code ${...}}).
   */
  public static void select(LogConfig.Format format, Map<String, String> environment) {
    System.setProperty(PROPERTY, format.key());
    String level = environment.get(LogSetup.LEVEL_VARIABLE);
    if (level != null && System.getProperty(LogSetup.LEVEL_VARIABLE) == null) {
      System.setProperty(LogSetup.LEVEL_VARIABLE, level);
    }
  }

  /**
   * The environment variable if set, else {@code log.format} of the config text (the {@code -conf} file's content
   * or inline JSON, null without {@code -conf}), as {@link io.gameevents.config.ConfigLoader} ranks them.
   */
  public static LogConfig.Format chosen(String configText, Map<String, String> environment) {
    String chosen = environment.get(LogConfig.ENVIRONMENT_VARIABLE);
    if (chosen == null && configText != null) {
      chosen = formatIn(configText);
    }
    return LogConfig.Format.TEXT.key().equals(chosen) ? LogConfig.Format.TEXT : LogConfig.Format.JSON;
  }

  private static String formatIn(String configText) {
    try {
      JsonNode format = new ObjectMapper().readTree(configText).path("log").path("format");
      return format.isTextual() ? format.asText() : null;
    } catch (IOException | RuntimeException unreadable) {
      return null; // Main's check of the -conf argument says what is wrong with it, in one line
    }
  }
}
