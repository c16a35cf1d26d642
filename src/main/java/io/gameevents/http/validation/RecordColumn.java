package io.gameevents.http.validation;


import java.util.Arrays;
import java.util.List;

/**
 * The record's built-in columns, in the order {@link EventRecord} writes them: the one list of them.
 * The query tool's view ({@code query/.../LakeColumns}) and Snowflake's table
 * ({@code warehouse/snowflake/01_raw.sql}) live outside this module, so {@code RecordColumnsEverywhereTest}
 * holds them to this list; {@link RecordColumns} derives from it which schema fields may fill a column.
 * Custom columns (a schema's own fields) follow {@code replayed_at}; the warehouse adds {@link #EVENT_DATE}.
 */
enum RecordColumn {
  EVENT_ID("event_id", Source.EVENT, "string"),
  EVENT_TYPE("event_type", Source.EVENT, "string"),
  SCHEMA_VERSION("schema_version", Source.EVENT, "integer"),
  OCCURRED_AT("occurred_at", Source.EVENT, "string"),
  CLIENT_OCCURRED_AT("client_occurred_at", Source.SERVICE, null),
  RECEIVED_AT("received_at", Source.SERVICE, null),
  PLAYER_ID("player_id", Source.EVENT, "string"),
  APP_ID("app_id", Source.EVENT, "string"),
  PLATFORM("platform", Source.EVENT, "string"),
  PRODUCT_ID("product_id", Source.EVENT, "string"),
  QUANTITY("quantity", Source.EVENT, "integer"),
  AMOUNT_MICROS("amount_micros", Source.EVENT, "integer"),
  CURRENCY("currency", Source.EVENT, "string"),
  APP_VERSION("app_version", Source.CONTEXT, null),
  OS("os", Source.CONTEXT, null),
  OS_VERSION("os_version", Source.CONTEXT, null),
  DEVICE_MODEL("device_model", Source.CONTEXT, null),
  DEVICE_ID("device_id", Source.CONTEXT, null),
  LOCALE("locale", Source.CONTEXT, null),
  COUNTRY("country", Source.CONTEXT, null),
  SESSION_ID("session_id", Source.CONTEXT, null),
  PROPERTIES("properties", Source.EVENT, "object"),
  RAW_PAYLOAD("raw_payload", Source.SERVICE, null),
  /** When an operator replayed a refused event into the store (POST /v1/admin/replay); null for every other event. */
  REPLAYED_AT("replayed_at", Source.SERVICE, null);

  /** Where a column's value comes from. */
  enum Source {
    /** The event's top-level field of the same name, which must have the column's JSON type. */
    EVENT,
    /** A field of the event's {@code context} object ({@code build} and {@code sdk} are not columns). */
    CONTEXT,
    /** The service itself (received time, the device's own timestamp, the whole event): no event field may take it. */
    SERVICE
  }

  /** The warehouse's column derived from occurred_at (UTC day); never in the record, so no event field either. */
  static final String EVENT_DATE = "event_date";

  private final String column;
  private final Source source;
  private final String jsonType;

  RecordColumn(String column, Source source, String jsonType) {
    this.column = column;
    this.source = source;
    this.jsonType = jsonType;
  }

  String column() {
    return column;
  }

  Source source() {
    return source;
  }

  /** The one JSON type the event field may have ({@link Source#EVENT} only, else null). */
  String jsonType() {
    return jsonType;
  }

  static List<RecordColumn> from(Source source) {
    return Arrays.stream(values()).filter(c -> c.source == source).toList();
  }

  /** Every built-in column name, in record order. */
  static List<String> names() {
    return Arrays.stream(values()).map(RecordColumn::column).toList();
  }
}
