package io.gameevents.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The DDL of the views over a {@link Lake}: {@code game_events_lake}, one row per record line with the warehouse's
 * column types (what Snowflake's raw table holds, tombstones included); {@code privacy_tombstones}, a table of the
 * erasures the lake carries; {@code game_events}, the lake's events without the tombstones and without every row a tombstone
 * erases (warehouse/snowflake/05_privacy.sql deletes the same rows); and {@code game_events_clean}, one row per
 * {@code (app_id, event_id)} with the earliest {@code received_at} (the same QUALIFY as 02_clean.sql); and over
 * the refused lake, {@code game_events_refused}, one row per refused event with its first reason as columns.
 */
final class LakeViews {

  static final String CLEAN_VIEW = "CREATE OR REPLACE VIEW game_events_clean AS\n"
      + "SELECT * FROM game_events\n"
      + "QUALIFY ROW_NUMBER() OVER (PARTITION BY app_id, event_id ORDER BY received_at) = 1";

  private LakeViews() {
  }

  /** The contract's tombstone event type: never shown as an event. */
  static final String TOMBSTONE = "_tombstone";

  /**
   * The salt of the subject hashes ({@code privacy.tombstone_salt}), one row or none; the tombstone views join it, so
   * the salt never appears in a view's text.
   */
  static final String SALT_TABLE = "CREATE OR REPLACE TEMP TABLE privacy_tombstone_salt (salt VARCHAR NOT NULL)";

  /**
   * A table, filled once per listing of the lake: as a view, every query would read the whole lake twice (once for
   * its rows, once for the tombstones among them).
   */
  static final String TOMBSTONES_TABLE = "CREATE OR REPLACE TEMP TABLE privacy_tombstones AS\n"
      + "SELECT app_id, received_at,\n"
      + "  json_extract_path_text(to_json(properties), 'subject') AS subject,\n"
      + "  json_extract_path_text(to_json(properties), 'subject_hash') AS subject_hash\n"
      + "FROM game_events_lake\n"
      + "WHERE event_type = '" + TOMBSTONE + "'";

  /** A subject's rows received up to its tombstone are gone; a NULL id hashes to NULL and matches nothing. */
  static final String EVENTS_VIEW = "CREATE OR REPLACE VIEW game_events AS\n"
      + "SELECT * FROM game_events_lake AS e\n"
      + "WHERE e.event_type IS DISTINCT FROM '" + TOMBSTONE + "'\n"
      + "  AND NOT EXISTS (\n"
      + "    SELECT 1 FROM privacy_tombstones AS t, privacy_tombstone_salt AS s\n"
      + "    WHERE t.app_id = e.app_id AND e.received_at <= t.received_at\n"
      + "      AND sha256(s.salt || chr(10) || e.app_id || chr(10)\n"
      + "        || CASE t.subject WHEN 'device' THEN e.device_id ELSE e.player_id END) = t.subject_hash)";

  static List<String> ddl(Lake lake, List<CustomColumns.Column> custom) {
    return List.of(lakeView(lake, custom), TOMBSTONES_TABLE, EVENTS_VIEW, CLEAN_VIEW);
  }

  static String lakeView(Lake lake, List<CustomColumns.Column> custom) {
    StringJoiner select = new StringJoiner(",\n  ", "CREATE OR REPLACE VIEW game_events_lake AS\nSELECT\n  ", "\n");
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

  /**
   * One row per refused record, its fields typed as declared ({@link RefusedColumns}), then its reasons as
   * columns: how many, the first one's pointer and message (what a report groups by), and every pointer.
   */
  static String refusedView(Lake refused) {
    StringJoiner select = new StringJoiner(",\n  ", "CREATE OR REPLACE VIEW " + RefusedColumns.VIEW + " AS\nSELECT\n  ",
        "\n");
    StringJoiner struct = new StringJoiner(", ", "{", "}");
    StringJoiner empty = new StringJoiner(", ", "SELECT ", " WHERE false");
    for (LakeColumns.Column column : RefusedColumns.COLUMNS) {
      select.add(quote(column.name()));
      struct.add(literal(column.name()) + ": " + literal(column.duckDbType()));
      empty.add("CAST(NULL AS " + column.duckDbType() + ") AS " + quote(column.name()));
    }
    select.add("CAST(json_array_length(reasons) AS INTEGER) AS reason_count");
    select.add("CAST(json_extract_string(reasons, '$[0].pointer') AS VARCHAR) AS reason_pointer");
    select.add("CAST(json_extract_string(reasons, '$[0].message') AS VARCHAR) AS reason_message");
    select.add("CAST(json_extract_string(reasons, '$[*].pointer') AS VARCHAR[]) AS reason_pointers");
    select.add("CAST(timezone('UTC', refused_at) AS DATE) AS refused_date");
    List<String> reads = new ArrayList<>();
    if (!refused.plainFiles().isEmpty()) {
      reads.add(readJson(refused.plainFiles(), struct.toString(), "none"));
    }
    if (!refused.gzipFiles().isEmpty()) {
      reads.add(readJson(refused.gzipFiles(), struct.toString(), "gzip"));
    }
    String sources = reads.isEmpty() ? empty.toString() : String.join("\n  UNION ALL BY NAME\n", reads);
    // a torn last line (crash, or a write in progress) is read as a row of NULLs by ignore_errors
    return select + "FROM (" + sources + ")\nWHERE refused_at IS NOT NULL";
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
