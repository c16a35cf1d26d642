package io.gameevents.query;

import java.util.List;

/**
 * The refused lake's line format (what the service keeps of each refused event), with the types the local view
 * declares: declared, not detected, as for {@link LakeColumns}. Snowflake's game_events_refused table
 * (warehouse/snowflake/06_refused.sql) has the same columns; SnowflakeSqlParsesTest holds the two together.
 */
final class RefusedColumns {

  static final String VIEW = "game_events_refused";

  static final List<LakeColumns.Column> COLUMNS = List.of(
      new LakeColumns.Column("refused_at", "TIMESTAMPTZ"),
      new LakeColumns.Column("request_id", "VARCHAR"),
      new LakeColumns.Column("key_id", "VARCHAR"),
      new LakeColumns.Column("app_id", "VARCHAR"),
      new LakeColumns.Column("event_type", "VARCHAR"),
      new LakeColumns.Column("event_id", "VARCHAR"),
      new LakeColumns.Column("schema_version", "INTEGER"),
      new LakeColumns.Column("app_version", "VARCHAR"),
      new LakeColumns.Column("sdk_name", "VARCHAR"),
      new LakeColumns.Column("sdk_version", "VARCHAR"),
      new LakeColumns.Column("problem_type", "VARCHAR"),
      new LakeColumns.Column("reasons", "JSON"),
      new LakeColumns.Column("payload", "VARCHAR"),
      new LakeColumns.Column("payload_base64", "VARCHAR"),
      new LakeColumns.Column("payload_truncated", "BOOLEAN"));

  private RefusedColumns() {
  }
}
