package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.nio.charset.StandardCharsets;
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

  @Property(tries = 4000)
  @StatisticsReport(onFailureOnly = true)
  void theFastPathVouchesOnlyForEventsNetworkntFindsValid(@ForAll("events") GeneratedEvents.Event event) {
    JsonNode tree = event.tree();
    EventSchema schema = FAST.schema(event.type(), 1);
    boolean schemaValid = schema.schema().validate(tree).isEmpty();
    boolean vouched = schema.certainlyValid(tree);

    assertThat(vouched && !schemaValid).as("fast path vouched for an event networknt refuses: %s -> %s",
        event.json(), schema.schema().validate(tree)).isFalse();
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

  /** A Validation as comparable text: status, title, detail and errors, or the record's bytes. */
  private static String describe(Validation validation) {
    if (validation instanceof Validation.Valid valid) {
      return "valid " + valid.event().appId() + " " + valid.event().eventId() + " "
          + new String(valid.event().record(), StandardCharsets.UTF_8);
    }
    return validation.toString();
  }
}
