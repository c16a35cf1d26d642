package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.gameevents.http.validation.ValidatorFixtures.MAPPER;
import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.VALIDATOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of each keyword the fast path models, on the built-in purchase schema: for every value below the
 * fast path vouches for the event exactly when networknt finds no error, and the expected verdict is stated,
 * so a test fails if both ever drift the same way.
 */
class FastPathKeywordsTest {

  private static final EventSchema PURCHASE_SCHEMA = VALIDATOR.schema("purchase", 1);

  /** Code points, not chars: 128 emoji (256 chars) fit player_id's maxLength 128; a lone surrogate counts one. */
  @ParameterizedTest
  @CsvSource({"a,128,true", "a,129,false", "😀,128,true", "😀,129,false", "\ud83d,128,true", "e\u0301,64,true",
      "e\u0301,65,false", "a,0,false"})
  void lengthsCountCodePoints(String unit, int times, boolean valid) {
    assertVerdict(with("player_id", MAPPER.getNodeFactory().textNode(unit.repeat(times))), valid);
  }

  /** integer accepts 1.0 and 1e2 (draft 6 on); bounds are exact at 1 and 10^9, 0 and 10^15; -0 is 0. */
  @ParameterizedTest
  @CsvSource({"quantity,1,true", "quantity,1.0,true", "quantity,1e0,true", "quantity,1e2,true", "quantity,0,false",
      "quantity,1.5,false", "quantity,1000000000,true", "quantity,1e9,true", "quantity,1000000001,false",
      "quantity,1000000000.5,false", "quantity,-1,false", "quantity,\"1\",false", "quantity,true,false",
      "quantity,12345678901234567890123,false", "quantity,1e400,false", "amount_micros,-0,true",
      "amount_micros,-0.0,true", "amount_micros,0.0,true", "amount_micros,1000000000000000,true",
      "amount_micros,1e15,true", "amount_micros,1000000000000001,false", "amount_micros,9223372036854775808,false",
      "amount_micros,-1e-400,true", "amount_micros,null,false"})
  void wholeNumbersAndTheirBounds(String field, String json, boolean valid) throws Exception {
    assertVerdict(with(field, MAPPER.readTree(json)), valid);
  }

  /**
   * format date-time is networknt's own check (ethlo): verified leap seconds only, offsets within ±18:00, and a
   * space for the T, as RFC 3339 permits (our own parser refuses that one after the schema, with its message).
   */
  @ParameterizedTest
  @CsvSource({"2026-11-24T09:58:00Z,true", "2026-11-24t09:58:00z,true", "2026-11-24T09:58:00.123456789+01:00,true",
      "2016-12-31T23:59:60Z,true", "2026-11-24T23:59:60Z,false", "2026-02-29T00:00:00Z,false",
      "2024-02-29T00:00:00Z,true", "2026-11-24T09:58:00+18:00,true", "2026-11-24T09:58:00+19:00,false",
      "2026-11-24T09:58Z,false", "2026-11-24 09:58:00Z,true", "2026-11-24T09:58:00,false",
      "2026-11-24T24:00:00Z,false"})
  void dateTimes(String timestamp, boolean valid) {
    assertVerdict(with("occurred_at", MAPPER.getNodeFactory().textNode(timestamp)), valid);
  }

  /** $ is the end of the text (networknt's \z), not "before a final newline" as in java.util.regex. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"evt-1:a.b_C|true", "evt 1|false", "évt|false",
      "0123456789012345678901234567890123456789012345678901234567890123|true",
      "01234567890123456789012345678901234567890123456789012345678901234|false"})
  void patternsAnchorAtBothEnds(String eventId, boolean valid) {
    assertVerdict(with("event_id", MAPPER.getNodeFactory().textNode(eventId)), valid);
  }

  @Test
  void aFinalNewlineMatchesNoPattern() {
    assertVerdict(with("event_id", MAPPER.getNodeFactory().textNode("evt-1\n")), false);
    assertVerdict(withContext("country", MAPPER.getNodeFactory().textNode("US\n")), false);
    assertVerdict(withContext("locale", MAPPER.getNodeFactory().textNode("en-US\n")), false);
  }

  /** The locale pattern is no simple class: it runs on networknt's regex engine. */
  @ParameterizedTest
  @CsvSource({"en-US,true", "zh-Hant-TW,true", "en-US-x-twain,true", "EN-us,true", "en_US,false", "i-klingon,false",
      "x-private,false", "en-US-,false"})
  void otherPatternsUseNetworkntsRegexEngine(String locale, boolean valid) {
    assertVerdict(withContext("locale", MAPPER.getNodeFactory().textNode(locale)), valid);
  }

  @ParameterizedTest
  @CsvSource({"currency,\"EUR\",true", "currency,\"eur\",false", "currency,\"XXX\",false", "currency,[\"EUR\"],false",
      "platform,\"ios\",true", "platform,\"IOS\",false", "event_type,\"purchase\",true",
      "event_type,\"Purchase\",false", "event_type,null,false"})
  void enumsAndConstsAreExact(String field, String json, boolean valid) throws Exception {
    assertVerdict(with(field, MAPPER.readTree(json)), valid);
  }

  /** additionalProperties false at each level; context.ip may be anything; sdk needs name and version. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"extra\":1}", "{\"context\":{\"extra\":1}}", "{\"context\":{\"sdk\":{\"name\":\"a\"}}}",
      "{\"context\":{\"sdk\":{\"name\":\"a\",\"version\":\"1\",\"x\":1}}}", "{\"context\":[]}",
      "{\"properties\":[]}", "{\"context\":{\"country\":\"us\"}}"})
  void objectKeywordsRefuse(String additions) throws Exception {
    assertVerdict(merged(additions), false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"context\":{}}", "{\"context\":{\"ip\":{\"any\":[1,null]}}}",
      "{\"context\":{\"sdk\":{\"name\":\"a\",\"version\":\"1\"},\"country\":\"US\"}}", "{\"properties\":{}}",
      "{\"schema_version\":1.0}", "{\"sent_at\":\"2026-11-24T09:59:00Z\"}"})
  void objectKeywordsAccept(String additions) throws Exception {
    assertVerdict(merged(additions), true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_id", "occurred_at", "player_id", "app_id", "platform", "product_id", "quantity",
      "amount_micros", "currency", "event_type"})
  void everyRequiredFieldIsRequired(String field) throws Exception {
    ObjectNode event = (ObjectNode) MAPPER.readTree(PURCHASE);
    event.remove(field);
    assertVerdict(event, false);
  }

  private static void assertVerdict(JsonNode event, boolean valid) {
    assertThat(PURCHASE_SCHEMA.schema().validate(event).isEmpty()).as("networknt on %s", event).isEqualTo(valid);
    assertThat(PURCHASE_SCHEMA.certainlyValid(event)).as("fast path on %s", event).isEqualTo(valid);
  }

  private static JsonNode with(String field, JsonNode value) {
    try {
      ObjectNode event = (ObjectNode) MAPPER.readTree(PURCHASE);
      return event.set(field, value);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode withContext(String field, JsonNode value) {
    ObjectNode event = (ObjectNode) with("event_id", MAPPER.getNodeFactory().textNode("evt-2"));
    event.putObject("context").set(field, value);
    return event;
  }

  private static JsonNode merged(String additions) throws Exception {
    ObjectNode event = (ObjectNode) MAPPER.readTree(PURCHASE);
    return event.setAll((ObjectNode) MAPPER.readTree(additions));
  }
}
