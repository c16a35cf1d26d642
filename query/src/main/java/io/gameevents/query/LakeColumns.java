package io.gameevents.query;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The warehouse record's columns, in record order, with the types the local view declares. Declared, not
 * detected: one odd value in one file would demote a detected column to VARCHAR. The service's RecordColumn
 * is the one list of them; this module does not depend on the service, so the service's
 * RecordColumnsEverywhereTest reads this file and holds it (and Snowflake's 01_raw.sql) to that list.
 */
final class LakeColumns {

  record Column(String name, String duckDbType) {
  }

  /** Built-in columns, record order. The device and session columns are NULL in records written without them. */
  static final List<Column> BUILT_IN = List.of(
      new Column("event_id", "VARCHAR"),
      new Column("event_type", "VARCHAR"),
      new Column("schema_version", "INTEGER"),
      new Column("occurred_at", "TIMESTAMPTZ"),
      new Column("client_occurred_at", "VARCHAR"),
      new Column("received_at", "TIMESTAMPTZ"),
      new Column("player_id", "VARCHAR"),
      new Column("app_id", "VARCHAR"),
      new Column("platform", "VARCHAR"),
      new Column("product_id", "VARCHAR"),
      new Column("quantity", "BIGINT"),
      new Column("amount_micros", "BIGINT"),
      new Column("currency", "VARCHAR"),
      new Column("app_version", "VARCHAR"),
      new Column("os", "VARCHAR"),
      new Column("os_version", "VARCHAR"),
      new Column("device_model", "VARCHAR"),
      new Column("device_id", "VARCHAR"),
      new Column("locale", "VARCHAR"),
      new Column("country", "VARCHAR"),
      new Column("session_id", "VARCHAR"),
      new Column("properties", "JSON"),
      new Column("raw_payload", "JSON"),
      new Column("replayed_at", "TIMESTAMPTZ"));

  /** Derived in the view from occurred_at (UTC), as Snowflake's event_date column is. */
  static final String EVENT_DATE = "event_date";

  /** Names a custom event type's own field cannot turn into a column of its own: they already are one. */
  static final Set<String> RESERVED = reserved();

  private LakeColumns() {
  }

  private static Set<String> reserved() {
    Set<String> names = BUILT_IN.stream().map(Column::name).collect(Collectors.toCollection(java.util.HashSet::new));
    names.add(EVENT_DATE);
    names.add("sent_at"); // read by the service for clock-skew correction, kept in raw_payload
    return Set.copyOf(names);
  }
}
