package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import io.gameevents.config.ValidationConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.DEFAULTS;
import static io.gameevents.http.validation.ValidatorFixtures.RECEIVED_AT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path decides "valid" only where networknt finds no error, over generated valid install and
 * purchase events and random mutations of them ({@link GeneratedEvents}): wrong types, missing and extra
 * fields, boundary lengths in code points, odd Unicode, numbers written as 1.0, 1e2 or -0, huge numbers,
 * bad and leap-second timestamps, patterns just off. And it is useful: it vouches for (nearly) every
 * schema-valid event. Finally, validate() with and without the fast path gives the same answer, byte for byte.
 */
class FastPathEquivalenceTest {

  private static final EventValidator FAST = EventValidator.load(DEFAULTS);
  private static final EventValidator REFERENCE = EventValidator.loadWithoutFastPath(DEFAULTS);
  private static final String BOUNDED_EVENT = "{\"event_id\":\"b-1\",\"event_type\":\"bounded\","
      + "\"occurred_at\":\"2026-11-24T09:00:00Z\",\"player_id\":\"p-1\",\"app_id\":\"com.studio.game\","
      + "\"platform\":\"ios\"}";
  private static final EventValidator BOUNDED = boundedType();

  @Property(tries = 4000)
  @StatisticsReport(onFailureOnly = true)
  void theFastPathVouchesOnlyForEventsNetworkntFindsValid(@ForAll("events") GeneratedEvents.Event event) {
    JsonNode tree = event.tree();
    EventSchema schema = FAST.schema(event.type(), 1);
    boolean schemaValid = networkntFindsNoError(schema, tree);
    boolean vouched = schema.certainlyValid(tree);

    assertThat(vouched && !schemaValid).as("fast path vouched for an event networknt refuses: %s", event).isFalse();
    Statistics.label("schema").collect(schemaValid ? "valid" : "invalid");
    Statistics.label("schema").coverage(coverage -> {
      coverage.check("valid").percentage(share -> share >= 25); // enough valid events to measure the coverage
      coverage.check("invalid").percentage(share -> share >= 25);
    });
    if (schemaValid) {
      Statistics.label("valid events").collect(vouched ? "fast path" : "don't know");
      Statistics.label("valid events").coverage(coverage -> coverage.check("don't know")
          .percentage(share -> share <= 1));
    }
  }

  @Property(tries = 1500)
  void validateGivesTheSameAnswerWithAndWithoutTheFastPath(@ForAll("events") GeneratedEvents.Event event) {
    byte[] raw = event.json().getBytes(StandardCharsets.UTF_8);
    String endpoint = event.onTypedEndpoint() ? event.type() : null;
    assertThat(describe(FAST.validate(event.tree(), raw, endpoint, RECEIVED_AT)))
        .isEqualTo(describe(REFERENCE.validate(event.tree(), raw, endpoint, RECEIVED_AT)));
  }

  /** A table-matched pattern accepts exactly what networknt's java.util.regex form of it accepts. */
  @Property(tries = 3000)
  void aCharacterClassTableMatchesLikeTheRegex(@ForAll("simplePatterns") String pattern,
                                               @ForAll("nearMisses") String text) {
    CharClassPattern table = CharClassPattern.parse(pattern);
    RegularExpression regex = JDKRegularExpressionFactory.getInstance().getRegularExpression(pattern);

    assertThat(table).as(pattern).isNotNull();
    assertThat(table.test(text)).as("%s on \"%s\"", pattern, text).isEqualTo(regex.matches(text));
    Statistics.collect(regex.matches(text));
    Statistics.coverage(coverage -> coverage.check(true).percentage(share -> share >= 10));
  }

  /**
   * Number bounds of a custom schema (fractional, exclusive, on integer and number types and on none) against
   * whole numbers and fractions in every form: the fast path vouches only where networknt finds no error, and
   * for (nearly) every value it accepts.
   */
  @Property(tries = 3000)
  @StatisticsReport(onFailureOnly = true)
  void numberBoundsDecideLikeNetworknt(@ForAll("boundedFields") String field, @ForAll("numbers") String number)
      throws Exception {
    ObjectNode event = (ObjectNode) ValidatorFixtures.MAPPER.readTree(BOUNDED_EVENT);
    event.set(field, ValidatorFixtures.MAPPER.readTree(number));
    EventSchema schema = BOUNDED.schema("bounded", 1);
    boolean schemaValid = networkntFindsNoError(schema, event);

    assertThat(schema.certainlyValid(event) && !schemaValid).as("%s = %s", field, number).isFalse();
    Statistics.label("schema").collect(schemaValid ? "valid" : "invalid");
    Statistics.label("schema").coverage(coverage -> coverage.check("valid").percentage(share -> share >= 15));
    if (schemaValid) {
      Statistics.label("valid").collect(schema.certainlyValid(event) ? "fast path" : "don't know");
      Statistics.label("valid").coverage(coverage -> coverage.check("don't know").percentage(share -> share <= 1));
    }
  }

  @Provide
  Arbitrary<String> boundedFields() {
    return Arbitraries.of("price", "score", "ratio", "delta");
  }

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "-0", "0.0", "-0.0", "1e-400", "9.99", "9.990", "9.9900000001", "9.989999999999999",
            "4.99", "0.0001", "1000", "999", "999.0", "999.9", "1e3", "9.99e2", "-5", "-5.0", "-5.5", "-6", "0.5",
            "0.49999999999999999", "2", "2.0000000000000001", "2.0000001", "-0.0015", "-0.00150000001", "0.1",
            "0.09999999999999999", "1e308", "1e309", "-1e309", "123456789012345678901234567890", "1.5e-7", "\"1\"",
            "null", "true"),
        Arbitraries.doubles().between(-10, 1100).map(String::valueOf),
        Arbitraries.doubles().between(-0.01, 0.2).ofScale(5).map(d -> String.valueOf(d)),
        Arbitraries.bigDecimals().between(new java.math.BigDecimal("-10"), new java.math.BigDecimal("1100"))
            .ofScale(3).map(java.math.BigDecimal::toPlainString),
        Arbitraries.integers().between(-10, 1100).map(String::valueOf));
  }

  @Provide
  Arbitrary<GeneratedEvents.Event> events() {
    return GeneratedEvents.events();
  }

  @Provide
  Arbitrary<String> simplePatterns() {
    return Arbitraries.of("^[A-Za-z0-9._:-]{1,64}$", "^[A-Za-z0-9._-]{1,128}$", "^[A-Z]{2}$", "^[a-z]+$",
        "^[0-9]*$", "^[-a-c]{2,}$", "^[a-c._:+/=@~,-]{0,3}$", "^[x]$");
  }

  /** Texts made of characters in and just outside those classes, of lengths around their bounds. */
  @Provide
  Arbitrary<String> nearMisses() {
    Arbitrary<Character> near = Arbitraries.of('a', 'b', 'c', 'x', 'z', 'A', 'Z', '0', '9', '.', '_', ':', '-', '+',
        '/', '=', '@', '~', ',', ' ', '\n', '\r', '\u0085', '\u2028', '$', '^', '[', ']', '\\', 'é', 'K', 'ſ', '\u0000',
        '\ud83d', '\ude00', '`', '{', '#', 'Ａ');
    Arbitrary<String> mostlyInClass = Arbitraries.strings().withChars("abcxzAZ09._:-").ofMinLength(0)
        .ofMaxLength(130);
    return Arbitraries.oneOf(mostlyInClass, near.list().ofMaxSize(6).map(FastPathEquivalenceTest::join),
        Combinators.combine(mostlyInClass, near, Arbitraries.integers().between(0, 130)).as((text, c, at) -> {
          int i = Math.min(at, text.length());
          return text.substring(0, i) + c + text.substring(i);
        }));
  }

  private static String join(List<Character> chars) {
    StringBuilder text = new StringBuilder();
    chars.forEach(text::append);
    return text.toString();
  }

  /**
   * Whether networknt finds no error; false when it throws, as it does for an enum or a number const meeting
   * 1e400 (BigDecimal of Infinity): validate() then answers "could not be validated", and the fast path
   * must not have vouched for the event either.
   */
  private static boolean networkntFindsNoError(EventSchema schema, JsonNode event) {
    try {
      return schema.schema().validate(event).isEmpty();
    } catch (RuntimeException e) {
      Statistics.label("networknt").collect("throws " + e.getClass().getSimpleName());
      return false;
    }
  }

  /** A custom type "bounded" with number bounds of every kind. */
  private static EventValidator boundedType() {
    try {
      Path directory = Files.createTempDirectory("bounded-schema");
      directory.toFile().deleteOnExit();
      Path file = Files.writeString(directory.resolve("bounded.v1.json"), "{\"type\": \"object\", \"properties\": {"
          + "\"price\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 9.99},"
          + "\"score\": {\"type\": \"integer\", \"minimum\": -5, \"exclusiveMaximum\": 1e3},"
          + "\"ratio\": {\"minimum\": 0.5, \"maximum\": 2},"
          + "\"delta\": {\"type\": [\"number\", \"null\"], \"minimum\": -1.5e-3, \"exclusiveMaximum\": 0.1,"
          + " \"exclusiveMinimum\": -0.0015}}}");
      file.toFile().deleteOnExit();
      EventValidator validator = EventValidator.load(new ValidationConfig(List.of("bounded"), directory.toString(),
          86400, 30L * 86400, 16 * 1024));
      assertThat(validator.schema("bounded", 1).fastPath()).isNotNull();
      return validator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Validation as comparable text: status, title, detail and errors, or the record's bytes. */
  private static String describe(Validation validation) {
    if (validation instanceof Validation.Valid valid) {
      return "valid " + valid.event().appId() + " " + valid.event().eventId() + " "
          + new String(valid.event().record(), StandardCharsets.UTF_8);
    }
    return validation.toString();
  }
}
