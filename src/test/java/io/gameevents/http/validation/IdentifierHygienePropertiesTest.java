package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.MAPPER;
import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.RECEIVED_AT;
import static io.gameevents.http.validation.ValidatorFixtures.VALIDATOR;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static org.assertj.core.api.Assertions.assertThat;

/** Any forbidden character anywhere in any id is found at its position; printable ids always pass. */
class IdentifierHygienePropertiesTest {

  /** The id fields; event_id and app_id also have a pattern, so their printable values are pattern-safe. */
  enum IdField {
    EVENT_ID("event_id", false, true), PLAYER_ID("player_id", false, false), APP_ID("app_id", false, true),
    PRODUCT_ID("product_id", false, false), DEVICE_ID("device_id", true, false),
    SESSION_ID("session_id", true, false);

    final String name;
    final boolean inContext;
    final boolean patterned;

    IdField(String name, boolean inContext, boolean patterned) {
      this.name = name;
      this.inContext = inContext;
      this.patterned = patterned;
    }

    String pointer() {
      return (inContext ? "/context/" : "/") + name;
    }

    String label() {
      return (inContext ? "context." : "") + name;
    }
  }

  /** A printable id with a character inserted before code point {@code index} (0-based); none when it is -1. */
  record Case(IdField field, List<Integer> printable, int forbidden, int index) {
    String value() {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i <= printable.size(); i++) {
        if (i == index && forbidden >= 0) {
          text.appendCodePoint(forbidden);
        }
        if (i < printable.size()) {
          text.appendCodePoint(printable.get(i));
        }
      }
      return text.toString();
    }
  }

  @Property(tries = 500)
  void aForbiddenCharacterAnywhereIsRejectedAtItsPosition(@ForAll("forbiddenCases") Case sample) {
    Validation validation = validateWith(sample.field(), sample.value());

    String kind = Character.isSurrogate((char) sample.forbidden()) ? "a lone surrogate"
        : Character.isISOControl(sample.forbidden()) ? "a control character"
        : "an invisible bidirectional control character";
    assertThat(invalid(validation).errors()).singleElement().satisfies(error -> {
      assertThat(error.pointer()).isEqualTo(sample.field().pointer());
      assertThat(error.message()).startsWith(sample.field().label() + " has " + kind + " ("
          + TextHygiene.hex(sample.forbidden()) + ") at position " + (sample.index() + 1) + ": ");
    });
  }

  @Property(tries = 200)
  void whitespaceAtEitherEndIsRejected(@ForAll("whitespaceCases") Case sample) {
    Validation validation = validateWith(sample.field(), sample.value());

    String expected = sample.index() == 0
        ? sample.field().label() + " starts with whitespace (" + TextHygiene.hex(sample.forbidden()) + ")"
        : sample.field().label() + " ends with whitespace (" + TextHygiene.hex(sample.forbidden()) + ") from position "
            + (sample.index() + 1);
    assertThat(invalid(validation).errors()).singleElement().satisfies(error -> {
      assertThat(error.pointer()).isEqualTo(sample.field().pointer());
      assertThat(error.message()).startsWith(expected + ": ");
    });
  }

  @Property(tries = 300)
  void printableIdsAreAcceptedAndStoredAsSent(@ForAll("printableCases") Case sample) throws Exception {
    String value = sample.value();

    Validation validation = validateWith(sample.field(), value);

    assertThat(validation).isInstanceOf(Validation.Valid.class);
    JsonNode record = ValidatorFixtures.recordTree(validation);
    assertThat(record.get(sample.field().name).textValue()).isEqualTo(value);
  }

  @Provide
  Arbitrary<Case> forbiddenCases() {
    Arbitrary<Integer> forbidden = Arbitraries.oneOf(
        Arbitraries.integers().between(0x00, 0x1f), Arbitraries.integers().between(0x7f, 0x9f),
        Arbitraries.integers().between(Character.MIN_SURROGATE, Character.MAX_SURROGATE),
        Arbitraries.of(0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068,
            0x2069));
    return Arbitraries.of(IdField.class).flatMap(field -> Combinators.combine(printable(field), forbidden,
            Arbitraries.integers().between(0, 1000))
        .as((printable, character, at) -> new Case(field, printable, character, at % (printable.size() + 1))));
  }

  @Provide
  Arbitrary<Case> whitespaceCases() {
    Arbitrary<Integer> whitespace = Arbitraries.of(0x20, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x2028, 0x2029,
        0x202f, 0x205f, 0x3000);
    return Arbitraries.of(IdField.class).flatMap(field -> Combinators.combine(printable(field), whitespace,
            Arbitraries.of(true, false))
        .as((printable, character, leading) -> new Case(field, printable, character, leading ? 0 : printable.size())));
  }

  @Provide
  Arbitrary<Case> printableCases() {
    return Arbitraries.of(IdField.class).flatMap(field -> printable(field)
        .map(printable -> new Case(field, printable, -1, 0)));
  }

  /** Code points of a valid id for this field: printable, no whitespace at either end. */
  private static Arbitrary<List<Integer>> printable(IdField field) {
    Arbitrary<Integer> codePoint = field.patterned
        ? Arbitraries.of("ABCXYZabcxyz0189._-".codePoints().boxed().toList())
        : Arbitraries.oneOf(Arbitraries.integers().between(0x21, 0x7e), Arbitraries.of(0x20, 0xa0, 0x3000),
            Arbitraries.integers().between(0xa1, 0x10ffff).filter(IdentifierHygienePropertiesTest::printableCodePoint));
    return codePoint.list().ofMinSize(1).ofMaxSize(40)
        .filter(points -> !TextHygiene.isWhitespace(points.get(0))
            && !TextHygiene.isWhitespace(points.get(points.size() - 1)));
  }

  private static boolean printableCodePoint(int codePoint) {
    return !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
        && !Character.isISOControl(codePoint) && !TextHygiene.isBidiControl(codePoint);
  }

  private static Validation validateWith(IdField field, String value) {
    try {
      ObjectNode event = (ObjectNode) MAPPER.readTree(PURCHASE);
      ObjectNode target = field.inContext ? event.putObject("context") : event;
      target.put(field.name, value);
      // the bytes a client would send: Jackson writes a lone surrogate as a backslash-u escape
      byte[] raw = MAPPER.writeValueAsBytes(event);
      return VALIDATOR.validate(MAPPER.readTree(raw), raw, "purchase", RECEIVED_AT);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
