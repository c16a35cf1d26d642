package io.gameevents.http.validation;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The record writer that reuses one generator and buffer per thread gives, for any event, the same bytes and
 * properties size as the writer it replaced ({@link EventRecordOracle}, one generator per record). The tries run
 * one after another on one thread, so every record is written by a generator that has written the previous ones.
 */
class EventRecordEquivalenceTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> CUSTOM_FIELDS = List.of("level", "score", "tags");
  private static final RecordColumns.Custom CUSTOM = new RecordColumns.Custom(CUSTOM_FIELDS,
      CUSTOM_FIELDS.stream().map(SerializedString::new).toArray(SerializedString[]::new),
      Map.of("level", Set.of(), "score", Set.of(), "tags", Set.of()));
  /** Year 1 to year 9999, as the record's four-digit years can show. */
  private static final long MIN_SECOND = -62_135_596_800L;
  private static final long MAX_SECOND = 253_402_300_799L;

  record Input(ObjectNode event, byte[] raw, String eventType, int schemaVersion, Instant occurredAt,
               String clientOccurredAt, Instant receivedAt, boolean custom) {
  }

  @Property(tries = 2000)
  void writesTheSameBytesAsOneGeneratorPerRecord(@ForAll("inputs") Input input) throws IOException {
    assertSameRecord(input);
  }

  /** The writer writes plain ASCII text and whole numbers itself: every character and every digit count. */
  @Example
  void everyAsciiCharacterAndEveryLengthOfNumberIsWrittenAsJacksonWritesIt() throws IOException {
    Instant at = Instant.parse("2026-11-24T09:00:00.123Z");
    for (char c = 0; c < 128; c++) {
      ObjectNode event = event("evt-" + c + "-" + c + c);
      assertSameRecord(new Input(event, raw(event), "type" + c, c, at, "at" + c, at, false));
    }
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      for (long value : new long[] {power - 1, power, -power, -(power - 1), power * 10 - 1}) {
        ObjectNode event = event("evt-" + value).put("quantity", value).put("amount_micros", -value);
        assertSameRecord(new Input(event, raw(event), "purchase", 1, at, "at", at, false));
      }
    }
    for (long value : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 0}) {
      ObjectNode event = event("evt-" + value).put("quantity", value);
      assertSameRecord(new Input(event, raw(event), "purchase", Integer.MIN_VALUE, at, "at", at, false));
    }
  }

  @Example
  void aRecordThatFailsHalfWayLeavesTheNextOneIntact() throws IOException {
    ObjectNode deep = NODES.objectNode();
    ObjectNode inner = deep;
    for (int i = 0; i < 1_100; i++) { // past Jackson's default write nesting limit (1,000)
      inner = inner.putObject("a");
    }
    ObjectNode tooDeep = event("evt-deep").set("properties", deep);
    byte[] raw = raw(event("evt-deep")); // the tree itself is too deep for toString
    assertThatThrownBy(() -> write(new Input(tooDeep, raw, "install", 1, Instant.EPOCH, "x", Instant.EPOCH,
        false))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> oracle(new Input(tooDeep, raw, "install", 1, Instant.EPOCH, "x", Instant.EPOCH,
        false))).isInstanceOf(IOException.class);

    ObjectNode next = event("evt-next");
    assertSameRecord(new Input(next, raw(next), "install", 1, Instant.parse("2026-11-24T08:59:30.250Z"),
        "2026-11-24T09:59:30.250+01:00", Instant.parse("2026-11-24T09:00:00.123Z"), false));
  }

  @Example
  void aRecordLargerThanTheKeptBufferIsWhole() throws IOException {
    ObjectNode large = event("evt-large");
    large.putObject("properties").put("blob", "é\n".repeat(60_000));
    ObjectNode small = event("evt-small");
    for (ObjectNode event : List.of(large, small, large)) {
      assertSameRecord(new Input(event, raw(event), "install", 1, Instant.parse("2026-11-24T08:59:30.250Z"),
          "2026-11-24T09:59:30.250+01:00", Instant.parse("2026-11-24T09:00:00.123Z"), true));
    }
  }

  @Example
  void lineBreaksAreFoundAtEveryPositionOfAWord() {
    for (int length = 0; length < 40; length++) {
      for (int at = 0; at < length; at++) {
        for (byte lineBreak : new byte[] {'\n', '\r'}) {
          byte[] raw = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
          raw[at] = lineBreak;
          byte[] expected = raw.clone();
          expected[at] = ' ';
          assertThat(EventRecord.singleLine(raw)).as("length %d, at %d", length, at).isEqualTo(expected);
        }
      }
      byte[] none = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
      assertThat(EventRecord.singleLine(none)).isSameAs(none);
    }
  }

  private static void assertSameRecord(Input input) throws IOException {
    EventRecordOracle.Written expected;
    try {
      expected = oracle(input);
    } catch (IOException e) {
      assertThatThrownBy(() -> write(input)).isInstanceOf(IOException.class);
      return;
    }
    EventRecord.Written actual = write(input);
    assertThat(new String(actual.bytes(), StandardCharsets.UTF_8))
        .isEqualTo(new String(expected.bytes(), StandardCharsets.UTF_8));
    assertThat(actual.bytes()).isEqualTo(expected.bytes());
    assertThat(actual.propertiesBytes()).isEqualTo(expected.propertiesBytes());
  }

  private static EventRecord.Written write(Input in) throws IOException {
    return EventRecord.write(in.event(), in.raw(), in.eventType(), in.schemaVersion(), in.occurredAt(),
        in.clientOccurredAt(), in.receivedAt(), null, in.custom() ? CUSTOM : RecordColumns.Custom.NONE);
  }

  private static EventRecordOracle.Written oracle(Input in) throws IOException {
    return EventRecordOracle.write(in.event(), in.raw(), in.eventType(), in.schemaVersion(), in.occurredAt(),
        in.clientOccurredAt(), in.receivedAt(), in.custom() ? CUSTOM : RecordColumns.Custom.NONE);
  }

  private static ObjectNode event(String id) {
    return NODES.objectNode().put("event_id", id).put("player_id", "p-1").put("app_id", "com.studio.game")
        .put("platform", "ios");
  }

  private static byte[] raw(JsonNode event) {
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<ObjectNode> events = Combinators.combine(
        Combinators.combine(text(), maybe(value()), maybe(value()), maybe(value()), maybe(value()),
            maybe(numbers()), maybe(numbers()), maybe(value())).as((id, player, app, platform, product, quantity,
            amount, currency) -> {
              ObjectNode event = NODES.objectNode();
              event.put("event_id", id);
              setIf(event, "player_id", player);
              setIf(event, "app_id", app);
              setIf(event, "platform", platform);
              setIf(event, "product_id", product);
              setIf(event, "quantity", quantity);
              setIf(event, "amount_micros", amount);
              setIf(event, "currency", currency);
              return event;
            }),
        maybe(context()), maybe(value()), maybe(value()), maybe(value()), maybe(value()))
        .as((event, context, properties, level, score, tags) -> {
          setIf(event, "context", context);
          setIf(event, "properties", properties);
          setIf(event, "level", level);
          setIf(event, "score", score);
          setIf(event, "tags", tags);
          return event;
        });
    return Combinators.combine(events, Arbitraries.of(' ', '\n', '\r', '\t').list().ofMaxSize(6),
            Arbitraries.integers().between(0, 1_000).list().ofMaxSize(6), text(), Arbitraries.integers(),
            instants(), text(), instants())
        .as((event, breaks, positions, type, version, occurred, client, received) -> {
          // the bytes as a client might send them: any whitespace, CR and LF included, anywhere it may go
          StringBuilder raw = new StringBuilder(event.toString());
          for (int i = 0; i < Math.min(breaks.size(), positions.size()); i++) {
            raw.insert(Math.min(positions.get(i), raw.length()), breaks.get(i));
          }
          return new Input(event, raw.toString().getBytes(StandardCharsets.UTF_8), type, version, occurred, client,
              received, positions.size() % 2 == 0);
        });
  }

  private static void setIf(ObjectNode event, String field, java.util.Optional<? extends JsonNode> value) {
    value.ifPresent(v -> event.set(field, v));
  }

  private static <T> Arbitrary<java.util.Optional<T>> maybe(Arbitrary<T> value) {
    return value.optional(0.6);
  }

  /** Any text: controls, quotes, backslashes, non-ASCII, surrogate pairs and lone surrogates. */
  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withChars("aZ09-_:.\"\\/\n\r\t\u0000\u001f\u007f\u00e9\u20ac\ud83c\udfae")
            .ofMaxLength(12),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40));
  }

  private static Arbitrary<JsonNode> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(NODES::numberNode),
        Arbitraries.longs().map(NODES::numberNode),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
            .map(NODES::numberNode),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3)
            .map(NODES::numberNode),
        Arbitraries.of(2.0, -0.0, 1e300, 4.9e-324, Double.NaN, Double.POSITIVE_INFINITY, 0.1).map(NODES::numberNode),
        Arbitraries.doubles().map(NODES::numberNode));
  }

  private static Arbitrary<JsonNode> leaf() {
    return Arbitraries.oneOf(text().map(NODES::textNode), numbers(),
        Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
  }

  private static Arbitrary<JsonNode> value() {
    return Arbitraries.recursive(EventRecordEquivalenceTest::leaf, EventRecordEquivalenceTest::container, 0, 3);
  }

  private static Arbitrary<JsonNode> container(Arbitrary<JsonNode> element) {
    Arbitrary<JsonNode> object = Combinators.combine(text().list().ofMaxSize(4), element.list().ofMaxSize(4))
        .as((keys, values) -> {
          ObjectNode node = NODES.objectNode();
          for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            node.set(keys.get(i), values.get(i));
          }
          return node;
        });
    Arbitrary<JsonNode> array = element.list().ofMaxSize(4).map(values -> {
      ArrayNode node = NODES.arrayNode();
      values.forEach(node::add);
      return node;
    });
    return Arbitraries.oneOf(object, array, element);
  }

  /** A context with some of the column fields (any value) and fields that are no column. */
  private static Arbitrary<JsonNode> context() {
    Arbitrary<String> fields = Arbitraries.of("app_version", "os", "os_version", "device_model", "device_id",
        "locale", "country", "session_id", "build", "sdk");
    return Arbitraries.oneOf(
        Combinators.combine(fields.list().ofMaxSize(10), value().list().ofMaxSize(10)).as((keys, values) -> {
          ObjectNode context = NODES.objectNode();
          for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            context.set(keys.get(i), values.get(i));
          }
          return (JsonNode) context;
        }),
        value());
  }

  private static Arbitrary<Instant> instants() {
    return Combinators.combine(
        Arbitraries.oneOf(Arbitraries.longs().between(MIN_SECOND, MAX_SECOND),
            Arbitraries.longs().between(1_700_000_000L, 1_800_000_000L)),
        Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
  }
}
