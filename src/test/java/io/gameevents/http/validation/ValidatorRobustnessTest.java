package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.MAPPER;
import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.RECEIVED_AT;
import static io.gameevents.http.validation.ValidatorFixtures.VALIDATOR;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile or broken input never throws out of validate(): it is refused with a 400 naming the field. */
class ValidatorRobustnessTest {

  @Test
  void anythingButAnObjectIsRefused() {
    for (String json : List.of("[]", "[{\"event_type\":\"install\"}]", "\"install\"", "42", "null", "true")) {
      Validation.Invalid invalid = invalid(validate(json, null));
      assertThat(invalid.status()).as(json).isEqualTo(400);
      assertThat(invalid.errors()).as(json).containsExactly(new FieldError("", "must be a JSON object"));
    }
    Validation.Invalid javaNull = invalid(VALIDATOR.validate(null, new byte[0], "install", RECEIVED_AT));
    assertThat(javaNull.errors()).containsExactly(new FieldError("", "must be a JSON object"));
  }

  @Test
  void hugeNumbersAreRefusedNotOverflowed() throws Exception {
    String quantity = PURCHASE.replace("\"quantity\":2", "\"quantity\":1e400");
    assertThat(invalid(validate(quantity, "purchase")).errors())
        .containsExactly(new FieldError("/quantity", "must be a whole number of at least 1"));

    ObjectMapper bigDecimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    byte[] raw = quantity.getBytes(StandardCharsets.UTF_8);
    assertThat(invalid(VALIDATOR.validate(bigDecimals.readTree(raw), raw, "purchase", RECEIVED_AT)).errors())
        .containsExactly(new FieldError("/quantity", "must be a whole number of at least 1"));
    String tooMany = PURCHASE.replace("\"quantity\":2", "\"quantity\":1000000001");
    assertThat(invalid(validate(tooMany, "purchase")).errors())
        .containsExactly(new FieldError("/quantity", "must be a whole number from 1 to 1000000000"));

    String amount = PURCHASE.replace("\"amount_micros\":4990000", "\"amount_micros\":123456789012345678901234567890");
    assertThat(invalid(validate(amount, "purchase")).errors()).containsExactly(new FieldError("/amount_micros",
        "is too large: at most 1000000000000000 (the price in millionths: 4.99 EUR is 4990000)"));

    String version = PURCHASE.replace("\"quantity\":2", "\"quantity\":2,\"schema_version\":99999999999999999999");
    Validation.Invalid unknownVersion = invalid(validate(version, "purchase"));
    assertThat(unknownVersion.status()).isEqualTo(404);
    assertThat(unknownVersion.detail())
        .isEqualTo("Event type \"purchase\" has no schema version 99999999999999999999; known versions: 1.");
  }

  @Test
  void wrongTypesAreNamedPerField() {
    String event = "{\"event_id\":7,\"event_type\":\"purchase\",\"occurred_at\":1764000000,\"player_id\":[\"p\"],"
        + "\"app_id\":{\"id\":1},\"platform\":null,\"product_id\":true,\"quantity\":\"3\",\"amount_micros\":4.5,"
        + "\"currency\":null,\"properties\":[1,2]}";

    Validation.Invalid invalid = invalid(validate(event, "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).extracting(FieldError::pointer).containsExactlyInAnyOrder("/event_id", "/occurred_at",
        "/player_id", "/app_id", "/platform", "/product_id", "/quantity", "/amount_micros", "/currency", "/properties");
    assertThat(invalid.errors()).contains(
        new FieldError("/quantity", "must be a whole number of at least 1"),
        new FieldError("/platform", "null is not a known platform; use one of: ios, android, web, windows, macos,"
            + " linux, playstation, xbox, switch, steam, other"),
        new FieldError("/properties", "must be a JSON object"));
  }

  @Test
  void nullEventTypeAndNonTextEventTypeAreRefused() {
    assertThat(invalid(validate(PURCHASE.replace("\"purchase\"", "null"), null)).errors())
        .containsExactly(new FieldError("/event_type", "is required"));
    assertThat(invalid(validate(PURCHASE.replace("\"purchase\"", "[\"purchase\"]"), null)).errors())
        .containsExactly(new FieldError("/event_type", "must be text naming the event type, e.g. \"purchase\""));
    assertThat(invalid(validate(PURCHASE.replace("\"purchase\"", "5"), "purchase")).errors())
        .containsExactly(new FieldError("/event_type", "must be \"purchase\" on /v1/events/purchase"));
  }

  @Test
  void deeplyNestedPropertiesAreRefused() throws Exception {
    ObjectNode event = (ObjectNode) MAPPER.readTree(PURCHASE);
    ObjectNode level = event.putObject("properties");
    for (int depth = 0; depth < 5000; depth++) {
      level = level.putObject("a");
    }
    byte[] raw = ("{\"properties\":" + "{\"a\":".repeat(5000) + "{}" + "}".repeat(5001)).getBytes(StandardCharsets.UTF_8);

    Validation.Invalid invalid = invalid(VALIDATOR.validate(event, raw, "purchase", RECEIVED_AT));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(new FieldError("/properties", "is nested too deeply"));
  }

  @Test
  void unknownFieldNamesAreEscapedAsJsonPointers() {
    String event = PURCHASE.replace("\"quantity\":2", "\"quantity\":2,\"a/b~c\":1");

    assertThat(invalid(validate(event, "purchase")).errors())
        .containsExactly(new FieldError("/a~1b~0c",
            "is not a known field of a purchase event; put game data into properties, or context for device data"));
  }

  @Test
  void longValuesAreNotEchoedInFull() {
    String longCode = "Q".repeat(500);
    String message = invalid(validate(PURCHASE.replace("\"EUR\"", "\"" + longCode + "\""), "purchase"))
        .errors().get(0).message();

    assertThat(message).startsWith("\"QQQQ").contains("...").hasSizeLessThan(120);
  }

  @Test
  void emptyObjectListsEveryRequiredField() {
    JsonNode empty = JsonNodeFactory.instance.objectNode();

    Validation.Invalid invalid = invalid(VALIDATOR.validate(empty, "{}".getBytes(StandardCharsets.UTF_8), "install",
        RECEIVED_AT));

    assertThat(invalid.errors()).extracting(FieldError::pointer).containsExactlyInAnyOrder("/event_id", "/event_type",
        "/occurred_at", "/player_id", "/app_id", "/platform");
  }
}
