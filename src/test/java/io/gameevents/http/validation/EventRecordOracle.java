package io.gameevents.http.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * THE RECORD WRITER AS IT WAS BEFORE 2026-12-02 (one JsonGenerator and one ByteArrayOutputStream per event),
 * kept unchanged in test scope as the oracle of {@link EventRecordEquivalenceTest}: the reusing writer in
 * {@link EventRecord} must give the same bytes for every event. Not used by the service.
 *
 * <p>Original description: writes the warehouse record: one UTF-8 JSON object, same built-in columns in the same order for every
 * event type and every sink, so the loader needs one table definition; a custom type's own declared
 * fields follow {@code raw_payload} (see {@link RecordColumns}). Streaming (JsonGenerator) because this
 * runs for every event on the event loop.
 */
final class EventRecordOracle {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  // column names pre-encoded once: the generator then copies bytes instead of escaping each name per event
  private static final SerializedString EVENT_ID = new SerializedString("event_id");
  private static final SerializedString EVENT_TYPE = new SerializedString("event_type");
  private static final SerializedString SCHEMA_VERSION = new SerializedString("schema_version");
  private static final SerializedString OCCURRED_AT = new SerializedString("occurred_at");
  private static final SerializedString CLIENT_OCCURRED_AT = new SerializedString("client_occurred_at");
  private static final SerializedString RECEIVED_AT = new SerializedString("received_at");
  private static final SerializedString PLAYER_ID = new SerializedString("player_id");
  private static final SerializedString APP_ID = new SerializedString("app_id");
  private static final SerializedString PLATFORM = new SerializedString("platform");
  private static final SerializedString PRODUCT_ID = new SerializedString("product_id");
  private static final SerializedString QUANTITY = new SerializedString("quantity");
  private static final SerializedString AMOUNT_MICROS = new SerializedString("amount_micros");
  private static final SerializedString CURRENCY = new SerializedString("currency");
  /** The context fields that are warehouse columns, in column order ({@code build} and {@code sdk} are not). */
  private static final String[] CONTEXT_FIELDS =
      {"app_version", "os", "os_version", "device_model", "device_id", "locale", "country", "session_id"};
  private static final SerializedString[] CONTEXT_COLUMNS = new SerializedString[CONTEXT_FIELDS.length];
  private static final SerializedString PROPERTIES = new SerializedString("properties");
  private static final SerializedString RAW_PAYLOAD = new SerializedString("raw_payload");

  static {
    for (int i = 0; i < CONTEXT_FIELDS.length; i++) {
      CONTEXT_COLUMNS[i] = new SerializedString(CONTEXT_FIELDS[i]);
    }
  }

  /** Record bytes plus the serialized size of {@code properties} (0 when absent), measured while writing. */
  record Written(byte[] bytes, int propertiesBytes) {
  }

  private EventRecordOracle() {
  }

  /**
   * @throws IOException when properties cannot be written (e.g. nested deeper than Jackson's write limit)
   */
  static Written write(JsonNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
                       String clientOccurredAt, Instant receivedAt, RecordColumns.Custom custom) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 2 + 512);
    int propertiesBytes = 0;
    try (JsonGenerator json = MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName(EVENT_ID);
      json.writeString(event.get("event_id").textValue());
      json.writeFieldName(EVENT_TYPE);
      json.writeString(eventType);
      json.writeFieldName(SCHEMA_VERSION);
      json.writeNumber(schemaVersion);
      writeUtcMillis(json, OCCURRED_AT, occurredAt);
      json.writeFieldName(CLIENT_OCCURRED_AT);
      json.writeString(clientOccurredAt);
      writeUtcMillis(json, RECEIVED_AT, receivedAt);
      writeText(json, PLAYER_ID, event.get("player_id"));
      writeText(json, APP_ID, event.get("app_id"));
      writeText(json, PLATFORM, event.get("platform"));
      writeText(json, PRODUCT_ID, event.get("product_id"));
      writeWholeNumber(json, QUANTITY, event.get("quantity"));
      writeWholeNumber(json, AMOUNT_MICROS, event.get("amount_micros"));
      writeText(json, CURRENCY, event.get("currency"));
      writeContextColumns(json, event.get("context"));
      json.writeFieldName(PROPERTIES);
      JsonNode properties = event.get("properties");
      if (properties != null && properties.isObject()) {
        int before = out.size() + json.getOutputBuffered();
        writeTree(json, properties);
        // minus 1: the generator writes the ':' separator with the value
        propertiesBytes = out.size() + json.getOutputBuffered() - before - 1;
      } else {
        json.writeNull();
      }
      json.writeFieldName(RAW_PAYLOAD);
      json.writeRawValue(new RawJson(singleLine(raw)));
      json.writeFieldName("replayed_at");
      json.writeNull();
      writeCustom(json, event, custom);
      json.writeEndObject();
    }
    return new Written(out.toByteArray(), propertiesBytes);
  }

  /** One column per context field, null when the event has no context or the context lacks the field. */
  private static void writeContextColumns(JsonGenerator json, JsonNode context) throws IOException {
    boolean present = context != null && context.isObject();
    for (int i = 0; i < CONTEXT_COLUMNS.length; i++) {
      writeText(json, CONTEXT_COLUMNS[i], present ? context.get(CONTEXT_FIELDS[i]) : null);
    }
  }

  /** A custom type's declared fields after raw_payload: the built-in columns keep their fixed positions. */
  private static void writeCustom(JsonGenerator json, JsonNode event, RecordColumns.Custom custom) throws IOException {
    SerializedString[] names = custom.names();
    for (int i = 0; i < names.length; i++) {
      json.writeFieldName(names[i]);
      JsonNode value = event.get(names[i].getValue());
      if (value == null) {
        json.writeNull();
      } else {
        writeTree(json, value);
      }
    }
  }

  private static void writeText(JsonGenerator json, SerializedString name, JsonNode value) throws IOException {
    json.writeFieldName(name);
    if (value != null && value.isTextual()) {
      json.writeString(value.textValue());
    } else {
      json.writeNull();
    }
  }

  private static void writeWholeNumber(JsonGenerator json, SerializedString name, JsonNode value) throws IOException {
    json.writeFieldName(name);
    if (value != null && value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
      json.writeNumber(value.longValue()); // 2.0 is a valid JSON Schema integer: store it as 2
    } else {
      json.writeNull();
    }
  }

  /**
   * A parsed tree, written without ObjectMapper.writeTree, which builds a serializer provider per call (a
   * third of the record's cost). Nesting depth is bounded by the generator's StreamWriteConstraints.
   */
  private static void writeTree(JsonGenerator json, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT:
        json.writeStartObject();
        for (var field : node.properties()) {
          json.writeFieldName(field.getKey());
          writeTree(json, field.getValue());
        }
        json.writeEndObject();
        break;
      case ARRAY:
        json.writeStartArray();
        for (JsonNode item : node) {
          writeTree(json, item);
        }
        json.writeEndArray();
        break;
      case STRING:
        json.writeString(node.textValue());
        break;
      case NUMBER:
        writeNumber(json, node);
        break;
      case BOOLEAN:
        json.writeBoolean(node.booleanValue());
        break;
      case NULL:
        json.writeNull();
        break;
      default: // binary and POJO nodes never come out of the parser
        json.writeString(node.asText());
    }
  }

  private static void writeNumber(JsonGenerator json, JsonNode number) throws IOException {
    switch (number.numberType()) {
      case INT:
      case LONG:
        json.writeNumber(number.longValue());
        break;
      case BIG_INTEGER:
        json.writeNumber(number.bigIntegerValue());
        break;
      case BIG_DECIMAL:
        json.writeNumber(number.decimalValue());
        break;
      default:
        json.writeNumber(number.doubleValue());
    }
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, written by hand: DateTimeFormatter costs more than the rest of the record. */
  private static void writeUtcMillis(JsonGenerator json, SerializedString name, Instant instant) throws IOException {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    char[] text = new char[24];
    digits(text, 0, utc.getYear(), 4);
    text[4] = '-';
    digits(text, 5, utc.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, utc.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, utc.getHour(), 2);
    text[13] = ':';
    digits(text, 14, utc.getMinute(), 2);
    text[16] = ':';
    digits(text, 17, utc.getSecond(), 2);
    text[19] = '.';
    digits(text, 20, instant.getNano() / 1_000_000, 3);
    text[23] = 'Z';
    json.writeFieldName(name);
    json.writeString(text, 0, text.length);
  }

  private static void digits(char[] text, int offset, int value, int width) {
    for (int i = offset + width - 1; i >= offset; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * JSON allows CR and LF only as whitespace between tokens (inside strings they are escaped), so turning
   * them into spaces keeps the payload's meaning and makes every record exactly one line (NDJSON files).
   */
  static byte[] singleLine(byte[] raw) {
    byte[] copy = null;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n' || raw[i] == '\r') {
        if (copy == null) {
          copy = raw.clone();
        }
        copy[i] = ' ';
      }
    }
    return copy == null ? raw : copy;
  }

  /** Already-encoded JSON bytes that the generator copies verbatim (no decode, no re-serialization). */
  private static final class RawJson implements SerializableString {
    private final byte[] utf8;

    RawJson(byte[] utf8) {
      this.utf8 = utf8;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + utf8.length > buffer.length) {
        return -1; // the generator then writes asUnquotedUTF8() itself
      }
      System.arraycopy(utf8, 0, buffer, offset, utf8.length);
      return utf8.length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return utf8;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(utf8);
      return utf8.length;
    }

    @Override
    public String getValue() {
      return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public byte[] asQuotedUTF8() {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String value = getValue();
      if (offset + value.length() > buffer.length) {
        return -1;
      }
      value.getChars(0, value.length(), buffer, offset);
      return value.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
      throw new UnsupportedOperationException("raw JSON is never quoted");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (buffer.remaining() < utf8.length) {
        return -1;
      }
      buffer.put(utf8);
      return utf8.length;
    }
  }
}
