package io.gameevents.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The DDL of the two views over a {@link Lake}: {@code game_events}, one row per record line with the
 * warehouse's column types, and {@code game_events_clean}, one row per {@code (app_id, event_id)} with
 * the earliest {@code received_at} (the same QUALIFY as warehouse/snowflake/02_clean.sql).
 */
final class LakeViews {

  static final String CLEAN_VIEW = "CREATE OR REPLACE VIEW game_events_clean AS\n"
      + "SELECT * FROM game_events\n"
      + "QUALIFY ROW_NUMBER() OVER (PARTITION BY app_id, event_id ORDER BY received_at) = 1";

  private LakeViews() {
  }

  static List<String> ddl(Lake lake, List<CustomColumns.Column> custom) {
    return List.of(eventsView(lake, custom), CLEAN_VIEW);
  }

  static String eventsView(Lake lake, List<CustomColumns.Column> custom) {
    StringJoiner select = new StringJoiner(",\n  ", "CREATE OR REPLACE VIEW game_events AS\nSELECT\n  ", "\n");
    for (LakeColumns.Column column : LakeColumns.BUILT_IN) {
      select.add(quote(column.name()));
    }
    for (CustomColumns.Column column : custom) {
      select.add(column.kind().select(quote(column.name())) + " AS " + quote(column.name()));
    }
    // the calendar day in UTC, whatever the session's time zone
    select.add("CAST(timezone('UTC', occurred_at) AS DATE) AS " + LakeColumns.EVENT_DATE);
    return select + "FROM (" + sources(lake, custom) + ")\n"
        // a torn last line (crash, or a write in progress) is read as a row of NULLs by ignore_errors
        + "WHERE event_id IS NOT NULL";
  }

  private static String sources(Lake lake, List<CustomColumns.Column> custom) {
    String columns = columnsStruct(custom);
    List<String> reads = new ArrayList<>();
    if (!lake.plainFiles().isEmpty()) {
      reads.add(readJson(lake.plainFiles(), columns, "none"));
    }
    if (!lake.gzipFiles().isEmpty()) {
      reads.add(readJson(lake.gzipFiles(), columns, "gzip"));
    }
    if (reads.isEmpty()) {
      return emptyRelation(custom);
    }
    return String.join("\n  UNION ALL BY NAME\n", reads);
  }

  private static String readJson(List<Path> files, String columns, String compression) {
    StringJoiner list = new StringJoiner(", ", "[", "]");
    for (Path file : files) {
      list.add(literal(file.toString()));
    }
    return "SELECT * FROM read_json(" + list + ",\n    columns = " + columns
        + ",\n    format = 'newline_delimited', compression = '" + compression + "', ignore_errors = true)";
  }

  /** Custom fields are read as JSON and typed in the outer select: see {@link CustomColumns.Kind#select}. */
  private static String columnsStruct(List<CustomColumns.Column> custom) {
    StringJoiner struct = new StringJoiner(", ", "{", "}");
    for (LakeColumns.Column column : LakeColumns.BUILT_IN) {
      struct.add(literal(column.name()) + ": " + literal(column.duckDbType()));
    }
    for (CustomColumns.Column column : custom) {
      struct.add(literal(column.name()) + ": 'JSON'");
    }
    return struct.toString();
  }

  private static String emptyRelation(List<CustomColumns.Column> custom) {
    StringJoiner select = new StringJoiner(", ", "SELECT ", " WHERE false");
    for (LakeColumns.Column column : LakeColumns.BUILT_IN) {
      select.add("CAST(NULL AS " + column.duckDbType() + ") AS " + quote(column.name()));
    }
    for (CustomColumns.Column column : custom) {
      select.add("CAST(NULL AS JSON) AS " + quote(column.name()));
    }
    return select.toString();
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
