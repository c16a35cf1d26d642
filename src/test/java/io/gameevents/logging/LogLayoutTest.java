package io.gameevents.logging;

import io.gameevents.config.LogConfig;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The layout Main picks before Logback starts: the environment, then the -conf text Main read; json otherwise. */
class LogLayoutTest {

  @Test
  void jsonUnlessToldText() {
    String text = "{\"log\": {\"format\": \"text\"}}";
    String none = "{\"http\": {}}";

    assertThat(LogLayout.chosen(null, Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(none, Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(text, Map.of())).isEqualTo(LogConfig.Format.TEXT);
    assertThat(LogLayout.chosen(none, Map.of("GAME_EVENTS_LOG_FORMAT", "text")))
        .isEqualTo(LogConfig.Format.TEXT);
    assertThat(LogLayout.chosen(text, Map.of("GAME_EVENTS_LOG_FORMAT", "json")))
        .isEqualTo(LogConfig.Format.JSON);
  }

  /** Whatever is wrong is said later, in one line, by the checks that own it; here it only means json. */
  @Test
  void anInvalidChoiceMeansJson() {
    String broken = "{\"log\": ";
    String xml = "{\"log\": {\"format\": \"xml\"}}";

    assertThat(LogLayout.chosen(broken, Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(xml, Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen("{not json", Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(null, Map.of("GAME_EVENTS_LOG_FORMAT", "TEXT!"))).isEqualTo(LogConfig.Format.JSON);
  }

  /** Logback creates LogSetup itself: the level reaches it from the environment Main read, not from a second read. */
  @Test
  void theEnvironmentsLogLevelReachesLogSetup() {
    String format = System.getProperty(LogLayout.PROPERTY);
    try {
      System.clearProperty(LogSetup.LEVEL_VARIABLE);
      LogLayout.select(LogConfig.Format.TEXT, Map.of(LogSetup.LEVEL_VARIABLE, "warn"));
      assertThat(System.getProperty(LogLayout.PROPERTY)).isEqualTo("text");
      assertThat(LogSetup.rootLevel()).isEqualTo(Level.WARN);

      System.setProperty(LogSetup.LEVEL_VARIABLE, "error");
      LogLayout.select(LogConfig.Format.TEXT, Map.of(LogSetup.LEVEL_VARIABLE, "warn"));
      assertThat(LogSetup.rootLevel()).as("a system property wins").isEqualTo(Level.ERROR);
    } finally {
      System.clearProperty(LogSetup.LEVEL_VARIABLE);
      if (format == null) {
        System.clearProperty(LogLayout.PROPERTY);
      } else {
        System.setProperty(LogLayout.PROPERTY, format);
      }
    }
  }
}
