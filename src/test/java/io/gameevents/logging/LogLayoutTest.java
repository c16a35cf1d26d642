package io.gameevents.logging;

import io.gameevents.config.LogConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The layout Main picks before Logback starts: the environment, then the -conf file; json otherwise. */
class LogLayoutTest {

  @Test
  void jsonUnlessToldText(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("text.json"), "{\"log\": {\"format\": \"text\"}}");
    Path none = Files.writeString(dir.resolve("none.json"), "{\"http\": {}}");

    assertThat(LogLayout.chosen(null, Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(none.toString(), Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(text.toString(), Map.of())).isEqualTo(LogConfig.Format.TEXT);
    assertThat(LogLayout.chosen("{\"log\": {\"format\": \"text\"}}", Map.of())).isEqualTo(LogConfig.Format.TEXT);
    assertThat(LogLayout.chosen(none.toString(), Map.of("GAME_EVENTS_LOG_FORMAT", "text")))
        .isEqualTo(LogConfig.Format.TEXT);
    assertThat(LogLayout.chosen(text.toString(), Map.of("GAME_EVENTS_LOG_FORMAT", "json")))
        .isEqualTo(LogConfig.Format.JSON);
  }

  /** Whatever is wrong is said later, in one line, by the checks that own it; here it only means json. */
  @Test
  void anUnreadableOrInvalidChoiceMeansJson(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"log\": ");
    Path xml = Files.writeString(dir.resolve("xml.json"), "{\"log\": {\"format\": \"xml\"}}");

    assertThat(LogLayout.chosen(dir.resolve("missing.json").toString(), Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(broken.toString(), Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(xml.toString(), Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen("{not json", Map.of())).isEqualTo(LogConfig.Format.JSON);
    assertThat(LogLayout.chosen(null, Map.of("GAME_EVENTS_LOG_FORMAT", "TEXT!"))).isEqualTo(LogConfig.Format.JSON);
  }
}
