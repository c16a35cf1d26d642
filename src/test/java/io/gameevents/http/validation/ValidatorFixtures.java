package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.config.ValidationConfig;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-up: the built-in schemas with the default limits, and helpers to run one JSON text. */
final class ValidatorFixtures {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Instant RECEIVED_AT = Instant.parse("2026-11-24T10:00:00.123456Z");
  static final ValidationConfig DEFAULTS =
      new ValidationConfig(List.of("install", "purchase"), null, 24 * 3600, 30L * 24 * 3600, 16 * 1024);
  static final EventValidator VALIDATOR = EventValidator.load(DEFAULTS);

  static final String PURCHASE = "{\"event_id\":\"evt-2\",\"event_type\":\"purchase\","
      + "\"occurred_at\":\"2026-11-24T09:58:00Z\",\"player_id\":\"p-42\",\"app_id\":\"com.studio.game\","
      + "\"platform\":\"android\",\"product_id\":\"gems_500\",\"quantity\":2,\"amount_micros\":4990000,"
      + "\"currency\":\"EUR\"}";

  private ValidatorFixtures() {
  }

  static Validation validate(EventValidator validator, String json, String endpointType) {
    try {
      byte[] raw = json.getBytes(StandardCharsets.UTF_8);
      return validator.validate(MAPPER.readTree(raw), raw, endpointType, RECEIVED_AT);
    } catch (java.io.IOException e) {
      throw new AssertionError("test JSON does not parse: " + json, e);
    }
  }

  static Validation validate(String json, String endpointType) {
    return validate(VALIDATOR, json, endpointType);
  }

  /** The purchase fixture with one field replaced (or removed when value is null). */
  static String purchaseWith(String field, Object value) {
    try {
      com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
          MAPPER.readTree(PURCHASE);
      if (value == null) {
        event.remove(field);
      } else {
        event.set(field, MAPPER.valueToTree(value));
      }
      return MAPPER.writeValueAsString(event);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String record(Validation validation) {
    assertThat(validation).isInstanceOf(Validation.Valid.class);
    return new String(((Validation.Valid) validation).event().record(), StandardCharsets.UTF_8);
  }

  static Validation.Invalid invalid(Validation validation) {
    assertThat(validation).isInstanceOf(Validation.Invalid.class);
    return (Validation.Invalid) validation;
  }

  static JsonNode recordTree(Validation validation) throws java.io.IOException {
    return MAPPER.readTree(record(validation));
  }
}
