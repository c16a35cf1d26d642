package io.gameevents.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static net.logstash.logback.argument.StructuredArguments.keyValue;
import static org.assertj.core.api.Assertions.assertThat;

/** The text layout on hostile events: whatever a request put in a line, the line stays one line. */
class TextLogEncoderTest {

  private static final String FORGED = "\n2026-12-07T04:00:00.000Z INFO  [vert.x-eventloop-thread-0] game-events.access"
      + " - POST /v1/batch 200 key_id=admin";

  private final LoggerContext context = new LoggerContext();
  private final TextLogEncoder encoder = new TextLogEncoder();

  TextLogEncoderTest() {
    encoder.setContext(context);
    encoder.start();
  }

  @AfterEach
  void stop() {
    encoder.stop();
    context.stop();
  }

  @Test
  void aLineBreakInAFieldComesOutEscaped() {
    String line = encode(event("POST /v1/events/{type} 400 {} {}", null,
        keyValue("request_id", "r-1"), keyValue("app_id", "com.game" + FORGED)));

    assertThat(line).endsWith(" - POST /v1/events/{type} 400 request_id=r-1 app_id=com.game\\n2026-12-07T04:00:00.000Z"
        + " INFO  [vert.x-eventloop-thread-0] game-events.access - POST /v1/batch 200 key_id=admin\n");
    assertThat(line.split("\n", -1)).hasSize(2); // the line and the empty rest after its end
  }

  @Test
  void everyLineOrParagraphSeparatorAndControlIsEscaped() {
    String line = encode(event("a\rb\u2028c\u2029d\u0085e\u007ff\u0000g\u001bh\ti\\n\u202ej", null));

    assertThat(line).endsWith(" - a\\rb\\u2028c\\u2029d\\u0085e\\u007ff\\u0000g\\u001bh\\ti\\\\n\\u202ej\n");
  }

  @Test
  void theThreadAndLoggerNamesAreEscapedToo() {
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("x"), Level.INFO, "message", null,
        null);
    event.setThreadName("worker\nforged");
    event.setLoggerName("a\nb");

    assertThat(encode(event)).contains("[worker\\nforged] a\\nb - message\n").doesNotContain("worker\nforged");
  }

  @Test
  void anExceptionMessageIsEscapedAndItsFramesStayOnTheirLines() {
    Exception cause = new IllegalArgumentException("bad id\nFORGED LINE");
    String text = encode(event("sink failed", new IllegalStateException("write failed\r\nFORGED", cause)));

    String[] lines = text.split("\n");
    assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: write failed\\r\\nFORGED");
    assertThat(lines[2]).startsWith("\tat ");
    assertThat(text).contains("Caused by: java.lang.IllegalArgumentException: bad id\\nFORGED LINE\n")
        .doesNotContain("\nFORGED");
  }

  @Test
  void plainTextIsUnchanged() {
    assertThat(LogEscape.escape("POST /v1/batch 200 app_id=com.game.test")).isEqualTo("POST /v1/batch 200 app_id=com.game.test");
    assertThat(LogEscape.escape("joueur é ü 日本")).isEqualTo("joueur é ü 日本");
  }

  private LoggingEvent event(String message, Throwable thrown, Object... arguments) {
    Logger access = context.getLogger("game-events.access");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), access, Level.INFO, message, thrown, arguments);
    event.setThreadName("test-thread");
    event.setTimeStamp(1_790_000_000_123L);
    return event;
  }

  private String encode(LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
