package io.gameevents.http.validation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.gameevents.http.validation.ValidatorFixtures.recordTree;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordColumn} is the one list of the record's columns; the places that cannot import it are held to
 * it here: the query tool's column list (its own Maven module, which must not depend on the service jar; its
 * DuckDB views are generated from that list) and Snowflake's table. Both files are read as text.
 */
class RecordColumnsEverywhereTest {

  private static final Path LAKE_COLUMNS = Path.of("query/src/main/java/io/gameevents/query/LakeColumns.java");
  private static final Path SNOWFLAKE_RAW = Path.of("warehouse/snowflake/01_raw.sql");
  private static final Pattern LAKE_COLUMN = Pattern.compile("new Column\\(\"([a-z_]+)\", \"[A-Z]+\"\\)");
  private static final Pattern LAKE_EVENT_DATE = Pattern.compile("String EVENT_DATE = \"([a-z_]+)\"");
  private static final Pattern DDL_COLUMN = Pattern.compile("^\\s+([a-z_]+)\\s+[A-Z]");

  @Test
  void theRecordWriterWritesTheColumnsInTheirOrder() throws IOException {
    String raw = "{\"event_id\": \"evt-1\", \"event_type\": \"purchase\", \"occurred_at\": \"2026-11-24T10:59:30Z\","
        + " \"player_id\": \"p-42\", \"app_id\": \"com.studio.game\", \"platform\": \"ios\","
        + " \"product_id\": \"gems\", \"quantity\": 1, \"amount_micros\": 4990000, \"currency\": \"EUR\"}";

    List<String> written = new ArrayList<>();
    recordTree(validate(raw, "purchase")).fieldNames().forEachRemaining(written::add);

    assertThat(written).containsExactlyElementsOf(RecordColumn.names());
  }

  @Test
  void theQueryToolsViewHasTheRecordsColumnsInOrder() throws IOException {
    String source = Files.readString(LAKE_COLUMNS);

    assertThat(all(LAKE_COLUMN, source)).containsExactlyElementsOf(RecordColumn.names());
    assertThat(all(LAKE_EVENT_DATE, source)).containsExactly(RecordColumn.EVENT_DATE);
  }

  @Test
  void snowflakesRawTableHasTheRecordsColumnsInOrderThenEventDate() throws IOException {
    List<String> ddl = Files.readAllLines(SNOWFLAKE_RAW);
    int start = ddl.indexOf("CREATE TABLE IF NOT EXISTS game_events_raw (");
    int end = ddl.indexOf(")");
    assertThat(start).as("the CREATE TABLE of game_events_raw in " + SNOWFLAKE_RAW).isNotNegative();

    List<String> columns = ddl.subList(start + 1, end).stream()
        .flatMap(line -> all(DDL_COLUMN, line).stream()).toList();

    assertThat(columns).containsExactlyElementsOf(
        Stream.concat(RecordColumn.names().stream(), Stream.of(RecordColumn.EVENT_DATE)).toList());
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
