package io.gameevents.http.validation;

import io.gameevents.config.ValidationConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.purchaseWith;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** Refused events: statuses and the messages a game developer reads. */
class EventValidationErrorsTest {

  @Test
  void unknownTopLevelFieldIsNamed() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("colour", "red"), "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.title()).isEqualTo("Invalid event");
    assertThat(invalid.errors()).containsExactly(new FieldError("/colour",
        "is not a known field of a purchase event; put game data into properties, or context for device data"));
  }

  @Test
  void currencyMustBeAnActiveIso4217Code() {
    for (String code : List.of("XYZ", "XTS", "XXX", "DEM", "XAU", "usdollar")) {
      assertThat(invalid(validate(purchaseWith("currency", code), "purchase")).errors())
          .containsExactly(new FieldError("/currency", "\"" + code + "\" is not an ISO 4217 currency code (e.g. \"EUR\", \"USD\")"));
    }
    assertThat(invalid(validate(purchaseWith("currency", 978), "purchase")).errors())
        .containsExactly(new FieldError("/currency", "must be an ISO 4217 currency code such as \"EUR\" or \"USD\""));
  }

  @Test
  void aLowerCaseCurrencyOrPlatformGetsTheRightCase() {
    assertThat(invalid(validate(purchaseWith("currency", "eur"), "purchase")).errors())
        .containsExactly(new FieldError("/currency", "currency codes are upper case: EUR"));
    assertThat(invalid(validate(purchaseWith("platform", "iOS"), "purchase")).errors())
        .containsExactly(new FieldError("/platform", "platforms are lower case: ios"));
  }

  @Test
  void everyViolatedFieldIsNamedAtOnce() {
    String event = "{\"event_id\":\"has space\",\"event_type\":\"purchase\",\"occurred_at\":\"2026-11-24T10:15:30\","
        + "\"app_id\":\"com.studio.game\",\"platform\":\"pc\",\"product_id\":\"\",\"quantity\":0,"
        + "\"amount_micros\":-5,\"currency\":\"XYZ\",\"colour\":\"red\",\"schema_version\":\"1\"}";

    Validation.Invalid invalid = invalid(validate(event, "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.detail()).isEqualTo("The purchase event (schema v1) is not valid: 10 fields are wrong.");
    assertThat(invalid.errors()).containsExactlyInAnyOrder(
        new FieldError("/event_id", "must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'"),
        new FieldError("/occurred_at",
            "\"2026-11-24T10:15:30\" is not an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z"),
        new FieldError("/player_id", "is required"),
        new FieldError("/platform", "\"pc\" is not a known platform; use one of: ios, android, web, windows, macos,"
            + " linux, playstation, xbox, switch, steam, other"),
        new FieldError("/product_id", "must be text of 1 to 128 characters"),
        new FieldError("/quantity", "must be a whole number of at least 1"),
        new FieldError("/amount_micros", "must be a whole number >= 0 (the price in millionths: 4.99 EUR is 4990000)"),
        new FieldError("/currency", "\"XYZ\" is not an ISO 4217 currency code (e.g. \"EUR\", \"USD\")"),
        new FieldError("/colour",
            "is not a known field of a purchase event; put game data into properties, or context for device data"),
        new FieldError("/schema_version", "must be a whole number of at least 1"));
  }

  @Test
  void occurredAtTooFarInTheFutureIsRejected() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("occurred_at", "2026-11-25T11:00:00Z"), "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(new FieldError("/occurred_at",
        "is 25 hours in the future; events may be at most 24 hours ahead of the server clock"));
  }

  @Test
  void occurredAtOlderThanTheMaximumAgeIsRejected() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("occurred_at", "2026-10-24T09:00:00Z"), "purchase"));

    assertThat(invalid.errors()).containsExactly(new FieldError("/occurred_at",
        "is 31 days old; events older than 30 days are rejected"));
  }

  @Test
  void occurredAtJustInsideTheLimitsIsAccepted() {
    assertThat(validate(purchaseWith("occurred_at", "2026-11-25T09:59:00Z"), "purchase"))
        .isInstanceOf(Validation.Valid.class);
    assertThat(validate(purchaseWith("occurred_at", "2026-10-25T10:01:00Z"), "purchase"))
        .isInstanceOf(Validation.Valid.class);
  }

  @Test
  void timestampsNeedAnOffsetAndSeconds() {
    for (String timestamp : List.of("2026-11-24T10:15:30", "2026-11-24 10:15", "2026-11-24", "yesterday",
        "2026-06-30T23:59:60Z")) {
      assertThat(invalid(validate(purchaseWith("occurred_at", timestamp), "purchase")).errors())
          .as(timestamp)
          .containsExactly(new FieldError("/occurred_at",
              "\"" + timestamp + "\" is not an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z"));
    }
    assertThat(invalid(validate(purchaseWith("sent_at", "2026-11-24T10:15:30"), "purchase")).errors())
        .containsExactly(new FieldError("/sent_at",
            "\"2026-11-24T10:15:30\" is not an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z"));
    assertThat(invalid(validate(purchaseWith("occurred_at", 1764000000), "purchase")).errors())
        .containsExactly(new FieldError("/occurred_at",
            "must be an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z"));
  }

  @Test
  void propertiesLargerThanTheLimitAreRejected() {
    EventValidator small = EventValidator.load(
        new ValidationConfig(List.of("install", "purchase"), null, 86400, 30L * 86400, 21));

    assertThat(ValidatorFixtures.validate(small, purchaseWith("properties", Map.of("level", "123456789")), "purchase"))
        .as("{\"level\":\"123456789\"} is exactly 21 bytes")
        .isInstanceOf(Validation.Valid.class);
    assertThat(invalid(ValidatorFixtures.validate(small, purchaseWith("properties", Map.of("level", "1234567890")),
        "purchase")).errors())
        .containsExactly(new FieldError("/properties", "is 22 bytes as JSON; the limit is 21 bytes"));
  }

  @Test
  void eventTypeMustMatchTheTypedEndpoint() {
    Validation.Invalid invalid = invalid(validate(PURCHASE, "install"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(
        new FieldError("/event_type", "must be \"install\" on /v1/events/install"));
  }

  @Test
  void missingEventTypeIsRequired() {
    assertThat(invalid(validate(purchaseWith("event_type", null), null)).errors())
        .containsExactly(new FieldError("/event_type", "is required"));
    Validation.Invalid onTypedEndpoint = invalid(validate(purchaseWith("event_type", null), "purchase"));
    assertThat(onTypedEndpoint.status()).isEqualTo(400);
    assertThat(onTypedEndpoint.errors()).containsExactly(new FieldError("/event_type", "is required"));
  }

  @Test
  void unknownEventTypeOnTheGenericEndpointIs404() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("event_type", "level_up"), null));

    assertThat(invalid.status()).isEqualTo(404);
    assertThat(invalid.title()).isEqualTo("Unknown event type");
    assertThat(invalid.detail()).isEqualTo("Event type \"level_up\" is not known; known types: install, purchase.");
  }

  @Test
  void unknownSchemaVersionOfAKnownTypeIs404() {
    Validation.Invalid invalid = invalid(validate(purchaseWith("schema_version", 2), "purchase"));

    assertThat(invalid.status()).isEqualTo(404);
    assertThat(invalid.title()).isEqualTo("Unknown schema version");
    assertThat(invalid.detail()).isEqualTo("Event type \"purchase\" has no schema version 2; known versions: 1.");
    assertThat(invalid.errors()).containsExactly(
        new FieldError("/schema_version", "is not a known version of the purchase event"));
  }

  @Test
  void theValidatorKnowsTheConfiguredTypes() {
    assertThat(ValidatorFixtures.VALIDATOR.eventTypes()).containsExactly("install", "purchase");
    assertThat(ValidatorFixtures.VALIDATOR.knows("purchase")).isTrue();
    assertThat(ValidatorFixtures.VALIDATOR.knows("level_up")).isFalse();
    assertThat(ValidatorFixtures.VALIDATOR.knows(null)).isFalse();
  }
}
