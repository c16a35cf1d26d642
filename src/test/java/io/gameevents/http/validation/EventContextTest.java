package io.gameevents.http.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** The optional context object: typed, bounded, closed. */
class EventContextTest {

  private static final String FULL_CONTEXT = "{\"app_version\":\"2.4.1\",\"build\":\"2041\",\"os\":\"iOS\","
      + "\"os_version\":\"18.1\",\"device_model\":\"iPhone15,2\",\"device_id\":\"6b1f7d2c-3a4e\","
      + "\"locale\":\"zh-Hant-TW\",\"country\":\"TW\",\"session_id\":\"s-20261124-0915\","
      + "\"sdk\":{\"name\":\"game-events-java\",\"version\":\"1.1.0\"},\"ip\":\"198.51.100.23\"}";

  private static Validation withContext(String context) {
    return validate(PURCHASE.replace("}", ",\"context\":" + context + "}"), "purchase");
  }

  private static List<FieldError> errorsWithContext(String context) {
    return invalid(withContext(context)).errors();
  }

  @Test
  void everyContextFieldTogetherIsValidAndSoIsAnEmptyContext() {
    assertThat(withContext(FULL_CONTEXT)).isInstanceOf(Validation.Valid.class);
    assertThat(withContext("{}")).isInstanceOf(Validation.Valid.class);
  }

  @Test
  void anUnknownContextKeyIsRejectedPointingAtProperties() {
    Validation.Invalid invalid = invalid(withContext("{\"os\":\"iOS\",\"level\":3}"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(
        new FieldError("/context/level", "is not a known context field; put game data into properties"));
  }

  @Test
  void sdkTakesExactlyNameAndVersion() {
    assertThat(errorsWithContext("{\"sdk\":{\"name\":\"unity\",\"version\":\"1\",\"engine\":\"6000\"}}"))
        .containsExactly(new FieldError("/context/sdk/engine",
            "is not a known field of context.sdk, which takes only name and version"));
    assertThat(errorsWithContext("{\"sdk\":{\"name\":\"unity\"}}"))
        .containsExactly(new FieldError("/context/sdk/version", "is required"));
    assertThat(errorsWithContext("{\"sdk\":\"unity 1.0\"}"))
        .containsExactly(new FieldError("/context/sdk", "must be a JSON object with the SDK's name and version"));
  }

  @Test
  void contextMustBeAnObject() {
    assertThat(errorsWithContext("\"iOS 18\"")).containsExactly(new FieldError("/context",
        "must be a JSON object of device and app facts (app_version, os, locale...)"));
  }

  @Test
  void textFieldsAreBounded() {
    assertThat(errorsWithContext("{\"app_version\":\"" + "9".repeat(65) + "\",\"device_model\":\"\","
        + "\"os\":18,\"session_id\":\"" + "s".repeat(129) + "\"}"))
        .containsExactlyInAnyOrder(
            new FieldError("/context/app_version", "must be text of 1 to 64 characters"),
            new FieldError("/context/device_model", "must be text of 1 to 128 characters"),
            new FieldError("/context/os", "must be text of 1 to 64 characters"),
            new FieldError("/context/session_id", "must be text of 1 to 128 characters"));
    assertThat(withContext("{\"app_version\":\"" + "9".repeat(64) + "\",\"device_id\":\"" + "d".repeat(128) + "\"}"))
        .isInstanceOf(Validation.Valid.class);
  }

  @Test
  void localeIsABcp47Tag() {
    for (String valid : List.of("en", "en-US", "pt-BR", "zh-Hant-TW", "es-419", "de-DE-1996", "sr-Latn-RS",
        "en-US-u-ca-gregory", "en-x-private", "yue-HK", "EN-us")) {
      assertThat(withContext("{\"locale\":\"" + valid + "\"}")).as(valid).isInstanceOf(Validation.Valid.class);
    }
    assertThat(errorsWithContext("{\"locale\":\"en_US\"}")).containsExactly(new FieldError("/context/locale",
        "\"en_US\" is not a BCP 47 language tag such as \"en-US\" or \"pt-BR\" (parts are joined by '-', not '_')"));
    assertThat(errorsWithContext("{\"locale\":\"English\"}")).containsExactly(new FieldError("/context/locale",
        "\"English\" is not a BCP 47 language tag such as \"en-US\" or \"pt-BR\""));
    assertThat(errorsWithContext("{\"locale\":\"" + "en-US-" + "a".repeat(30) + "\"}")).containsExactly(
        new FieldError("/context/locale", "must be a BCP 47 language tag of at most 35 characters"));
  }

  @Test
  void countryIsTwoUpperCaseLetters() {
    assertThat(withContext("{\"country\":\"DE\"}")).isInstanceOf(Validation.Valid.class);
    assertThat(errorsWithContext("{\"country\":\"de\"}"))
        .containsExactly(new FieldError("/context/country", "country codes are upper case: DE"));
    assertThat(errorsWithContext("{\"country\":\"DEU\"}")).containsExactly(new FieldError("/context/country",
        "\"DEU\" is not an ISO 3166-1 alpha-2 country code such as \"US\" or \"DE\""));
  }

  @Test
  void contextFieldsAtTheTopLevelGetTheHint() {
    assertThat(invalid(validate(PURCHASE.replace("}", ",\"app_version\":\"2.4.1\"}"), "purchase")).errors())
        .containsExactly(new FieldError("/app_version",
            "is not a known field of a purchase event; put game data into properties, or context for device data"));
  }
}
