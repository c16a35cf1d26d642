package io.gameevents.http.validation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.purchaseWith;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** Ids are printable text; other text may be any Unicode but never a lone surrogate. */
class IdentifierHygieneTest {

  private static List<FieldError> errors(String json) {
    return invalid(validate(json, "purchase")).errors();
  }

  @Test
  void aControlCharacterIsNamedWithItsPosition() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("player_id", "a\u0000b"), "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(new FieldError("/player_id",
        "player_id has a control character (U+0000) at position 2: ids may hold printable text only"));
    assertThat(errors(purchaseWith("product_id", "gems\n500"))).containsExactly(new FieldError("/product_id",
        "product_id has a control character (U+000A) at position 5: ids may hold printable text only"));
    assertThat(errors(purchaseWith("player_id", "p\u0085"))).containsExactly(new FieldError("/player_id",
        "player_id has a control character (U+0085) at position 2: ids may hold printable text only"));
  }

  @Test
  void aLoneSurrogateEscapeIsRejectedEvenThoughJacksonDecodesIt() {
    String raw = PURCHASE.replace("\"p-42\"", "\"\\ud800\"");

    assertThat(errors(raw)).containsExactly(new FieldError("/player_id", "player_id has a lone surrogate (U+D800)"
        + " at position 1: text must be valid Unicode (an escape such as \\ud83d needs its pair, e.g. \\ud83d\\ude00)"));
  }

  @Test
  void bidirectionalControlsAreRejected() {
    for (int bidi : new int[] {0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067,
        0x2068, 0x2069}) {
      assertThat(errors(purchaseWith("player_id", "ab" + Character.toString(bidi) + "c")))
          .containsExactly(new FieldError("/player_id", "player_id has an invisible bidirectional control character ("
              + String.format("U+%04X", bidi) + ") at position 3: ids may hold printable text only"));
    }
  }

  @Test
  void leadingAndTrailingWhitespaceIsRejected() {
    assertThat(errors(purchaseWith("player_id", " p-42"))).containsExactly(new FieldError("/player_id",
        "player_id starts with whitespace (U+0020): ids may not start or end with whitespace"));
    assertThat(errors(purchaseWith("product_id", "gems 500\u00a0 "))).containsExactly(new FieldError("/product_id",
        "product_id ends with whitespace (U+00A0) from position 9: ids may not start or end with whitespace"));
    assertThat(errors(purchaseWith("player_id", "\u3000p"))).containsExactly(new FieldError("/player_id",
        "player_id starts with whitespace (U+3000): ids may not start or end with whitespace"));
  }

  @Test
  void printableUnicodeIdsWithInnerSpacesAreAccepted() throws Exception {
    String player = "Jürgen 😀 李 ‏x".replace("\u200f", ""); // no bidi control left
    var record = ValidatorFixtures.recordTree(validate(purchaseWith("player_id", player), "purchase"));

    assertThat(record.get("player_id").textValue()).isEqualTo(player);
  }

  @Test
  void contextIdsFollowTheSameRules() {
    String raw = PURCHASE.replace("}", ",\"context\":{\"device_id\":\"d\\u202e1\",\"session_id\":\"s1 \"}}");

    assertThat(errors(raw)).containsExactlyInAnyOrder(
        new FieldError("/context/device_id", "context.device_id has an invisible bidirectional control character"
            + " (U+202E) at position 2: ids may hold printable text only"),
        new FieldError("/context/session_id",
            "context.session_id ends with whitespace (U+0020) from position 3: ids may not start or end with whitespace"));
  }

  @Test
  void appIdAndEventIdGetThePositionRatherThanTheirPatternMessage() {
    assertThat(errors(purchaseWith("app_id", "com.studio\u0000.game"))).containsExactly(new FieldError("/app_id",
        "app_id has a control character (U+0000) at position 11: ids may hold printable text only"));
    assertThat(errors(purchaseWith("event_id", "evt\u001b"))).containsExactly(new FieldError("/event_id",
        "event_id has a control character (U+001B) at position 4: ids may hold printable text only"));
  }

  @Test
  void idProblemsAreReportedWithTheSchemaErrors() {
    assertThat(errors(purchaseWith("player_id", "a\u0000").replace("\"quantity\":2", "\"quantity\":0")))
        .containsExactlyInAnyOrder(
            new FieldError("/player_id",
                "player_id has a control character (U+0000) at position 2: ids may hold printable text only"),
            new FieldError("/quantity", "must be a whole number of at least 1"));
  }

  @Test
  void propertiesMayHoldAnyUnicodeButNoLoneSurrogate() {
    assertThat(validate(purchaseWith("properties", Map.of("note", "tab\there\u202e é 😀\u0000")), "purchase"))
        .isInstanceOf(Validation.Valid.class);

    String raw = PURCHASE.replace("}", ",\"properties\":{\"items\":[\"ok\",{\"name\":\"x\\udc00\"}],"
        + "\"bad\\ud83d\":1,\"tail\":\"ab\\ud83d\"}}");
    String rule = ": text must be valid Unicode (an escape such as \\ud83d needs its pair, e.g. \\ud83d\\ude00)";
    assertThat(errors(raw)).containsExactly(
        new FieldError("/properties/items/1/name", "has a lone surrogate (U+DC00) at position 2" + rule),
        new FieldError("/properties/bad\ud83d", "the field name has a lone surrogate (U+D83D) at position 4" + rule),
        new FieldError("/properties/tail", "has a lone surrogate (U+D83D) at position 3" + rule));
  }

  @Test
  void otherContextTextWithALoneSurrogateIsRejected() {
    assertThat(errors(PURCHASE.replace("}", ",\"context\":{\"os\":\"\\ud800iOS\"}}")))
        .containsExactly(new FieldError("/context/os", "has a lone surrogate (U+D800) at position 1: text must be"
            + " valid Unicode (an escape such as \\ud83d needs its pair, e.g. \\ud83d\\ude00)"));
  }
}
