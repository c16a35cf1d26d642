package io.gameevents.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The game_events_refused view over a refused lake laid out as the file sink writes it (lines in the contract's
 * format, written here), and {@code --report refusals}.
 */
class RefusedViewTest {

  @TempDir
  Path directory;

  private Path refused() {
    return directory.resolve("refused");
  }

  @Test
  void theViewTypesItsColumnsAndHasTheFirstReasonAsColumns() throws IOException {
    write("refused-a.ndjson", false, line("2026-11-24T10:00:00.123Z", "purchase", "2.4.1", "invalid-event",
        "[{\"pointer\":\"/currency\",\"message\":\"upper case\"},{\"pointer\":\"/quantity\",\"message\":\"at least 1\"}]"));

    assertThat(csv("SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_name = 'game_events_refused' ORDER BY ordinal_position")).containsExactly(
        "column_name,data_type", "refused_at,TIMESTAMP WITH TIME ZONE", "request_id,VARCHAR", "key_id,VARCHAR",
        "app_id,VARCHAR", "event_type,VARCHAR", "event_id,VARCHAR", "schema_version,INTEGER", "app_version,VARCHAR",
        "sdk_name,VARCHAR", "sdk_version,VARCHAR", "problem_type,VARCHAR", "reasons,JSON", "payload,VARCHAR",
        "payload_base64,VARCHAR", "payload_truncated,BOOLEAN", "reason_count,INTEGER", "reason_pointer,VARCHAR",
        "reason_message,VARCHAR", "reason_pointers,VARCHAR[]", "refused_date,DATE");
    assertThat(csv("SELECT refused_at, schema_version + 1 AS next, reason_count, reason_pointer, reason_message,"
        + " reason_pointers[2] AS second, payload->>'currency' AS currency, payload_truncated, refused_date"
        + " FROM game_events_refused")).containsExactly(
        "refused_at,next,reason_count,reason_pointer,reason_message,second,currency,payload_truncated,refused_date",
        "2026-11-24T10:00:00.123Z,2,2,/currency,upper case,/quantity,eur,false,2026-11-24");
  }

  @Test
  void theRefusalsReportCountsByEventTypeReasonAndBuildFromEveryKindOfFile() throws IOException {
    String currency = "[{\"pointer\":\"/currency\",\"message\":\"upper case\"}]";
    write("refused-a.ndjson", false, line("2026-11-24T10:00:00Z", "purchase", "2.4.1", "invalid-event", currency),
        line("2026-11-24T10:05:00Z", "purchase", "2.4.1", "invalid-event", currency));
    write("refused-b.ndjson.gz", true, line("2026-11-24T10:10:00Z", "purchase", "2.4.1", "invalid-event", currency),
        line("2026-11-24T10:11:00Z", "purchase", "2.4.0", "invalid-event", currency));
    write(".refused-c.ndjson.inprogress", false, line("2026-11-24T10:12:00Z", "level_up", "2.4.1",
        "unknown-event-type", "[{\"pointer\":\"/event_type\",\"message\":\"is not a known event type\"}]")
        + "{\"refused_at\":\"2026-11-24T10:1");

    assertThat(Query.csv(List.of("--lake", directory.resolve("events").toString(), "--refused", refused().toString(),
        "--report", "refusals"), null)).containsExactly(
        "event_type,problem_type,reason_pointer,app_version,refused,first_refused_at,last_refused_at",
        "purchase,invalid-event,/currency,2.4.1,3,2026-11-24T10:00:00.000Z,2026-11-24T10:10:00.000Z",
        "level_up,unknown-event-type,/event_type,2.4.1,1,2026-11-24T10:12:00.000Z,2026-11-24T10:12:00.000Z",
        "purchase,invalid-event,/currency,2.4.0,1,2026-11-24T10:11:00.000Z,2026-11-24T10:11:00.000Z");
  }

  @Test
  void withoutARefusedLakeTheViewIsEmptyButTyped() {
    assertThat(csv("SELECT COUNT(*) AS n, typeof(MAX(refused_at)) AS t FROM game_events_refused"))
        .containsExactly("n,t", "0,TIMESTAMP WITH TIME ZONE");
  }

  private List<String> csv(String sql) {
    return Query.csv(List.of("--lake", directory.resolve("events").toString(), "--refused", refused().toString()),
        sql);
  }

  private static String line(String refusedAt, String type, String appVersion, String problemType, String reasons) {
    String payload = "{\"event_id\":\"e-" + refusedAt + "\",\"event_type\":\"" + type + "\",\"currency\":\"eur\"}";
    return "{\"refused_at\":\"" + refusedAt + "\",\"request_id\":\"r1\",\"key_id\":\"dev\",\"app_id\":\"com.game.test\","
        + "\"event_type\":\"" + type + "\",\"event_id\":\"e-" + refusedAt + "\",\"schema_version\":1,"
        + "\"app_version\":\"" + appVersion + "\",\"sdk_name\":\"game-events-java\",\"sdk_version\":\"1.2.0\","
        + "\"problem_type\":\"" + problemType + "\",\"reasons\":" + reasons + ",\"payload\":"
        + quoted(payload) + ",\"payload_truncated\":false}\n";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void write(String name, boolean gzip, String... lines) throws IOException {
    Path hour = Files.createDirectories(refused().resolve(TestLake.HOUR));
    byte[] bytes = String.join("", lines).getBytes(StandardCharsets.UTF_8);
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(bytes);
      }
      bytes = out.toByteArray();
    }
    Files.write(hour.resolve(name), bytes);
  }
}
