package io.gameevents.http.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.util.ByteWords;
import io.gameevents.util.JsonBytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes the warehouse record: one UTF-8 JSON object, the same built-in columns ({@link RecordColumn}) in the same order for every
 * event type and every sink, so the loader needs one table definition; a custom type's own declared
 * fields follow {@code replayed_at} (see {@link RecordColumns}). This runs for every event on the event loop.
 *
 * <p>Each thread keeps one {@link Writer} and its output buffer, reused, so a record costs the one array it ends
 * up in: allocation per event is what the batch path's CPU follows. The columns are written as bytes
 * ({@link JsonBytes}); Jackson's generator writes the trees and any text that is not plain ASCII. The bytes are
 * the same as one generator per record gives: EventRecordEquivalenceTest checks that against a reference writer.
 */
final class EventRecord {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);
  /** An output buffer grown past this by a large record is dropped after it, so a thread does not keep it. */
  private static final int MAX_KEPT_OUTPUT = 64 * 1024;
  private static final int INITIAL_OUTPUT = 4 * 1024;
  private static final long LFS = ByteWords.ONES * '\n';
  private static final long CRS = ByteWords.ONES * '\r';
  // each column's name as the bytes before its value (the first opens the object): static finals read per event
  private static final byte[] EVENT_ID = name(RecordColumn.EVENT_ID);
  private static final byte[] EVENT_TYPE = name(RecordColumn.EVENT_TYPE);
  private static final byte[] SCHEMA_VERSION = name(RecordColumn.SCHEMA_VERSION);
  private static final byte[] OCCURRED_AT = name(RecordColumn.OCCURRED_AT);
  private static final byte[] CLIENT_OCCURRED_AT = name(RecordColumn.CLIENT_OCCURRED_AT);
  private static final byte[] RECEIVED_AT = name(RecordColumn.RECEIVED_AT);
  private static final byte[] PLAYER_ID = name(RecordColumn.PLAYER_ID);
  private static final byte[] APP_ID = name(RecordColumn.APP_ID);
  private static final byte[] PLATFORM = name(RecordColumn.PLATFORM);
  private static final byte[] PRODUCT_ID = name(RecordColumn.PRODUCT_ID);
  private static final byte[] QUANTITY = name(RecordColumn.QUANTITY);
  private static final byte[] AMOUNT_MICROS = name(RecordColumn.AMOUNT_MICROS);
  private static final byte[] CURRENCY = name(RecordColumn.CURRENCY);
  /** The context fields that are columns, in column order. */
  private static final String[] CONTEXT_FIELDS =
      RecordColumn.from(RecordColumn.Source.CONTEXT).stream().map(RecordColumn::column).toArray(String[]::new);
  private static final byte[][] CONTEXT_COLUMNS =
      RecordColumn.from(RecordColumn.Source.CONTEXT).stream().map(EventRecord::name).toArray(byte[][]::new);
  private static final byte[] PROPERTIES = name(RecordColumn.PROPERTIES);
  private static final byte[] RAW_PAYLOAD = name(RecordColumn.RAW_PAYLOAD);
  private static final byte[] REPLAYED_AT = name(RecordColumn.REPLAYED_AT);

  /** Record bytes plus the serialized size of {@code properties} (0 when absent), measured while writing. */
  record Written(byte[] bytes, int propertiesBytes) {
  }

  private EventRecord() {
  }

  /** {@code ,"column":}, or {@code {"event_id":} for the first column. */
  private static byte[] name(RecordColumn column) {
    String separator = column == RecordColumn.EVENT_ID ? "{" : ",";
    return (separator + '"' + column.column() + "\":").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param replayedAt when an operator replayed this refused event, else null (every event the game sent itself)
   * @throws IOException when properties cannot be written (e.g. nested deeper than Jackson's write limit)
   */
  static Written write(JsonNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
                       String clientOccurredAt, Instant receivedAt, Instant replayedAt, RecordColumns.Custom custom)
      throws IOException {
    return WRITERS.get().write(event, raw, eventType, schemaVersion, occurredAt, clientOccurredAt, receivedAt,
        replayedAt, custom);
  }

  /** One thread's output and timestamp scratch; used by that thread only. */
  private static final class Writer {
    private final JsonBytes out = new JsonBytes(MAPPER.getFactory(), INITIAL_OUTPUT);
    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}; the date part is that of {@link #day}. */
    private final byte[] timestamp = new byte[24];
    private long day = Long.MIN_VALUE;

    Written write(JsonNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
                  String clientOccurredAt, Instant receivedAt, Instant replayedAt, RecordColumns.Custom custom)
        throws IOException {
      boolean written = false;
      try {
        int propertiesBytes = writeRecord(event, raw, eventType, schemaVersion, occurredAt, clientOccurredAt,
            receivedAt, replayedAt, custom);
        written = true;
        return new Written(out.toByteArray(), propertiesBytes);
      } finally {
        if (!written) {
          out.dropGenerator(); // a generator left inside a tree would write the next one there: start afresh
        }
        out.reset(MAX_KEPT_OUTPUT, INITIAL_OUTPUT);
      }
    }

    private int writeRecord(JsonNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
                            String clientOccurredAt, Instant receivedAt, Instant replayedAt,
                            RecordColumns.Custom custom) throws IOException {
      out.write(EVENT_ID);
      out.text(event.get("event_id").textValue());
      out.write(EVENT_TYPE);
      out.text(eventType);
      out.write(SCHEMA_VERSION);
      out.decimal(schemaVersion);
      utcMillis(OCCURRED_AT, occurredAt);
      out.write(CLIENT_OCCURRED_AT);
      out.text(clientOccurredAt);
      utcMillis(RECEIVED_AT, receivedAt);
      textOrNull(PLAYER_ID, event.get("player_id"));
      textOrNull(APP_ID, event.get("app_id"));
      textOrNull(PLATFORM, event.get("platform"));
      textOrNull(PRODUCT_ID, event.get("product_id"));
      wholeNumberOrNull(QUANTITY, event.get("quantity"));
      wholeNumberOrNull(AMOUNT_MICROS, event.get("amount_micros"));
      textOrNull(CURRENCY, event.get("currency"));
      contextColumns(event.get("context"));
      out.write(PROPERTIES);
      JsonNode properties = event.get("properties");
      int propertiesBytes = 0;
      if (properties != null && properties.isObject()) {
        int before = out.size();
        tree(properties);
        propertiesBytes = out.size() - before;
      } else {
        out.nullValue();
      }
      out.write(RAW_PAYLOAD);
      out.write(singleLine(raw));
      if (replayedAt == null) {
        out.write(REPLAYED_AT);
        out.nullValue();
      } else {
        utcMillis(REPLAYED_AT, replayedAt);
      }
      customColumns(event, custom);
      out.write('}');
      return propertiesBytes;
    }

    /** One column per context field, null when the event has no context or the context lacks the field. */
    private void contextColumns(JsonNode context) throws IOException {
      boolean present = context != null && context.isObject();
      for (int i = 0; i < CONTEXT_COLUMNS.length; i++) {
        textOrNull(CONTEXT_COLUMNS[i], present ? context.get(CONTEXT_FIELDS[i]) : null);
      }
    }

    /** A custom type's declared fields after replayed_at: the built-in columns keep their fixed positions. */
    private void customColumns(JsonNode event, RecordColumns.Custom custom) throws IOException {
      SerializedString[] names = custom.names();
      for (SerializedString name : names) {
        out.write(',');
        out.write('"');
        out.write(name.asQuotedUTF8());
        out.write('"');
        out.write(':');
        JsonNode value = event.get(name.getValue());
        if (value == null) {
          out.nullValue();
        } else {
          tree(value);
        }
      }
    }

    private void textOrNull(byte[] column, JsonNode value) throws IOException {
      out.write(column);
      if (value != null && value.isTextual()) {
        out.text(value.textValue());
      } else {
        out.nullValue();
      }
    }

    private void wholeNumberOrNull(byte[] column, JsonNode value) {
      out.write(column);
      if (value != null && value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
        out.decimal(value.longValue()); // 2.0 is a valid JSON Schema integer: store it as 2
      } else {
        out.nullValue();
      }
    }

    private void tree(JsonNode value) throws IOException {
      writeTree(out.generator(), value);
      out.flushGenerator();
    }

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, written by hand: DateTimeFormatter costs more than the rest of the
     * record. The date part is only recomputed when the day changes (a batch's received_at is one instant).
     */
    private void utcMillis(byte[] column, Instant instant) {
      long epochSecond = instant.getEpochSecond();
      long epochDay = Math.floorDiv(epochSecond, 86_400);
      byte[] text = timestamp;
      if (epochDay != day) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        text[13] = ':';
        text[16] = ':';
        text[19] = '.';
        text[23] = 'Z';
        day = epochDay;
      }
      int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
      digits(text, 11, secondOfDay / 3600, 2);
      digits(text, 14, secondOfDay / 60 % 60, 2);
      digits(text, 17, secondOfDay % 60, 2);
      digits(text, 20, instant.getNano() / 1_000_000, 3);
      out.write(column);
      out.write('"');
      out.write(text);
      out.write('"');
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

  private static void digits(byte[] text, int offset, int value, int width) {
    for (int i = offset + width - 1; i >= offset; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * JSON allows CR and LF only as whitespace between tokens (inside strings they are escaped), so turning
   * them into spaces keeps the payload's meaning and makes every record exactly one line (NDJSON files).
   */
  static byte[] singleLine(byte[] raw) {
    int first = firstLineBreak(raw);
    if (first < 0) {
      return raw; // the usual case: no copy
    }
    byte[] copy = raw.clone();
    for (int i = first; i < copy.length; i++) {
      if (copy[i] == '\n' || copy[i] == '\r') {
        copy[i] = ' ';
      }
    }
    return copy;
  }

  /**
   * Index of the first CR or LF, or -1. Eight bytes at a time ({@link ByteWords}), since this scans every event's
   * whole payload; the word that has one is then searched byte by byte.
   */
  private static int firstLineBreak(byte[] raw) {
    int i = 0;
    for (int words = raw.length & ~7; i < words; i += 8) {
      long word = ByteWords.at(raw, i);
      if (ByteWords.hasZeroByte(word ^ LFS) || ByteWords.hasZeroByte(word ^ CRS)) {
        break;
      }
    }
    for (; i < raw.length; i++) {
      if (raw[i] == '\n' || raw[i] == '\r') {
        return i;
      }
    }
    return -1;
  }
}
