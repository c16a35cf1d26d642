package io.gameevents.http.refused;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refused line's keys are what {@link RefusedRecord} writes; the readers that cannot import it are held to it
 * here, as RecordColumnsEverywhereTest does for events: Snowflake's game_events_refused table (its Firehose stream
 * loads by JSON_MAPPING, so a key without a column is dropped and a column without a key stays empty) and the query
 * tool's view ({@code RefusedColumns}, its own Maven module). Both files are read as text.
 */
class RefusedColumnsEverywhereTest {

  private static final Path SNOWFLAKE_REFUSED = Path.of("warehouse/snowflake/06_refused.sql");
  private static final Path QUERY_COLUMNS = Path.of("query/src/main/java/io/gameevents/query/RefusedColumns.java");
  private static final Pattern DDL_COLUMN = Pattern.compile("^\\s+([a-z0-9_]+)\\s+[A-Z]");
  private static final Pattern QUERY_COLUMN =
      Pattern.compile("new LakeColumns\\.Column\\(\"([a-z0-9_]+)\", \"[A-Z]+\"\\)");
  /** Computed by the table from refused_at, never in a line. */
  private static final String REFUSED_DATE = "refused_date";

  @Test
  void everyKeyTheWriterPutsInALineIsAColumnOfSnowflakesTableAndTheOtherWayRound() throws IOException {
    List<String> ddl = Files.readAllLines(SNOWFLAKE_REFUSED);
    int start = ddl.indexOf("CREATE TABLE IF NOT EXISTS game_events_refused (");
    assertThat(start).as("the CREATE TABLE of game_events_refused in " + SNOWFLAKE_REFUSED).isNotNegative();
    int end = ddl.subList(start, ddl.size()).indexOf(")") + start;
    List<String> columns = ddl.subList(start + 1, end).stream().flatMap(line -> all(DDL_COLUMN, line).stream())
        .toList();

    assertThat(columns).endsWith(REFUSED_DATE);
    assertThat(columns.subList(0, columns.size() - 1)).containsExactlyInAnyOrderElementsOf(writtenKeys());
  }

  @Test
  void theQueryToolsViewHasEveryKeyTheWriterPutsInALine() throws IOException {
    assertThat(all(QUERY_COLUMN, Files.readString(QUERY_COLUMNS)))
        .containsExactlyInAnyOrderElementsOf(writtenKeys());
  }

  /**
   * The keys of the two lines the writer can write: its payload as text, or as base64 when it is not UTF-8. By
   * name, not order: JSON_MAPPING and the view's read_json map keys by name (SnowflakeSqlParsesTest holds the
   * table's and the view's orders together).
   */
  private static List<String> writtenKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (byte[] payload : new byte[][] {"{\"currency\":\"eur\"}".getBytes(StandardCharsets.UTF_8),
        {'{', (byte) 0xC3, (byte) 0x28, '}'}}) {
      RefusedRecord record = new RefusedRecord(Instant.parse("2026-12-07T14:03:11.482Z"), "req-1", "dev",
          "com.game.test", "purchase", "p-1", 1, "2.4.1", "game-events-unity", "1.3.0", "invalid-event",
          new JsonArray().add(new JsonObject().put("pointer", "/currency").put("message", "upper case")), payload);
      for (String key : new JsonObject(new String(record.encode(1024), StandardCharsets.UTF_8)).fieldNames()) {
        keys.add(key);
      }
    }
    assertThat(keys).contains("payload", "payload_base64");
    return List.copyOf(keys);
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
