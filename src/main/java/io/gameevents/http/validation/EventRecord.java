package io.gameevents.http.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.util.ByteWords;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Writes the warehouse record: one UTF-8 JSON object, the same built-in columns ({@link RecordColumn}) in the same order for every
 * event type and every sink, so the loader needs one table definition; a custom type's own declared
 * fields follow {@code replayed_at} (see {@link RecordColumns}). Streaming (JsonGenerator) because this
 * runs for every event on the event loop.
 *
 * <p>Each thread keeps one {@link Writer}: its generator stays open and writes one record after another as
 * root values without a separator, into an output buffer that is reused, so a record costs the one array
 * it ends up in instead of a generator, its contexts, a growing ByteArrayOutputStream and a copy of it: this
 * runs once per event, and allocation per event is what the batch path's CPU follows. The bytes are the same as
 * one generator per record gives: EventRecordEquivalenceTest checks that against a reference writer.
 */
final class EventRecord {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);
  /** An output buffer grown past this by a large record is dropped after it, so a thread does not keep it. */
  private static final int MAX_KEPT_OUTPUT = 64 * 1024;
  private static final int INITIAL_OUTPUT = 4 * 1024;
  private static final long LFS = ByteWords.ONES * '\n';
  private static final long CRS = ByteWords.ONES * '\r';
  // static finals of the columns' pre-encoded names (see RecordColumn): the writer below reads them per event
  private static final SerializedString EVENT_ID = RecordColumn.EVENT_ID.serialized();
  private static final SerializedString EVENT_TYPE = RecordColumn.EVENT_TYPE.serialized();
  private static final SerializedString SCHEMA_VERSION = RecordColumn.SCHEMA_VERSION.serialized();
  private static final SerializedString OCCURRED_AT = RecordColumn.OCCURRED_AT.serialized();
  private static final SerializedString CLIENT_OCCURRED_AT = RecordColumn.CLIENT_OCCURRED_AT.serialized();
  private static final SerializedString RECEIVED_AT = RecordColumn.RECEIVED_AT.serialized();
  private static final SerializedString PLAYER_ID = RecordColumn.PLAYER_ID.serialized();
  private static final SerializedString APP_ID = RecordColumn.APP_ID.serialized();
  private static final SerializedString PLATFORM = RecordColumn.PLATFORM.serialized();
  private static final SerializedString PRODUCT_ID = RecordColumn.PRODUCT_ID.serialized();
  private static final SerializedString QUANTITY = RecordColumn.QUANTITY.serialized();
  private static final SerializedString AMOUNT_MICROS = RecordColumn.AMOUNT_MICROS.serialized();
  private static final SerializedString CURRENCY = RecordColumn.CURRENCY.serialized();
  /** The context fields that are columns, in column order. */
  private static final String[] CONTEXT_FIELDS =
      RecordColumn.from(RecordColumn.Source.CONTEXT).stream().map(RecordColumn::column).toArray(String[]::new);
  private static final SerializedString[] CONTEXT_COLUMNS =
      RecordColumn.from(RecordColumn.Source.CONTEXT).stream().map(RecordColumn::serialized)
          .toArray(SerializedString[]::new);
  private static final SerializedString PROPERTIES = RecordColumn.PROPERTIES.serialized();
  private static final SerializedString RAW_PAYLOAD = RecordColumn.RAW_PAYLOAD.serialized();
  private static final SerializedString REPLAYED_AT = RecordColumn.REPLAYED_AT.serialized();

  /** Record bytes plus the serialized size of {@code properties} (0 when absent), measured while writing. */
  record Written(byte[] bytes, int propertiesBytes) {
  }

  private EventRecord() {
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

  /** One thread's generator, output buffer and timestamp scratch; used by that thread only. */
  private static final class Writer {
    private final Output out = new Output(INITIAL_OUTPUT);
    /** Open between records; null after a record failed half-way (its state is then unknown). */
    private JsonGenerator json;
    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}; the date part is that of {@link #day}. */
    private final char[] timestamp = new char[24];
    private long day = Long.MIN_VALUE;

    Written write(JsonNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
                  String clientOccurredAt, Instant receivedAt, Instant replayedAt, RecordColumns.Custom custom)
        throws IOException {
      if (json == null) {
        json = MAPPER.createGenerator(out);
        json.setRootValueSeparator(null); // records follow each other as root values, with nothing between
      }
      out.reset();
      boolean written = false;
      try {
        int propertiesBytes = writeRecord(json, event, raw, eventType, schemaVersion, occurredAt, clientOccurredAt,
            receivedAt, replayedAt, custom);
        json.flush();
        written = true;
        return new Written(out.toByteArray(), propertiesBytes);
      } finally {
        if (!written) {
          json = null; // a generator left inside an object would put the next record there: start afresh
        }
        out.release();
      }
    }

    private int writeRecord(JsonGenerator json, JsonNode event, byte[] raw, String eventType, int schemaVersion,
                            Instant occurredAt, String clientOccurredAt, Instant receivedAt, Instant replayedAt,
                            RecordColumns.Custom custom) throws IOException {
      int propertiesBytes = 0;
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
      if (replayedAt == null) {
        json.writeFieldName(REPLAYED_AT);
        json.writeNull();
      } else {
        writeUtcMillis(json, REPLAYED_AT, replayedAt);
      }
      writeCustom(json, event, custom);
      json.writeEndObject();
      return propertiesBytes;
    }

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, written by hand: DateTimeFormatter costs more than the rest of the
     * record. The date part is only recomputed when the day changes (a batch's received_at is one instant).
     */
    private void writeUtcMillis(JsonGenerator json, SerializedString name, Instant instant) throws IOException {
      long epochSecond = instant.getEpochSecond();
      long epochDay = Math.floorDiv(epochSecond, 86_400);
      char[] text = timestamp;
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
      json.writeFieldName(name);
      json.writeString(text, 0, text.length);
    }
  }

  /**
   * The writer's output: a ByteArrayOutputStream without its locks, reset per record, whose buffer is kept
   * for the next record unless a large record grew it past {@link #MAX_KEPT_OUTPUT}.
   */
  private static final class Output extends OutputStream {
    private byte[] buffer;
    private int size;

    Output(int capacity) {
      buffer = new byte[capacity];
    }

    @Override
    public void write(int b) {
      ensure(1);
      buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      ensure(length);
      System.arraycopy(bytes, offset, buffer, size, length);
      size += length;
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }

    int size() {
      return size;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buffer, size);
    }

    void reset() {
      size = 0;
    }

    void release() {
      size = 0;
      if (buffer.length > MAX_KEPT_OUTPUT) {
        buffer = new byte[INITIAL_OUTPUT];
      }
    }
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
