package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.pipeline.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.gameevents.http.validation.ValidatorFixtures.PURCHASE;
import static io.gameevents.http.validation.ValidatorFixtures.invalid;
import static io.gameevents.http.validation.ValidatorFixtures.record;
import static io.gameevents.http.validation.ValidatorFixtures.recordTree;
import static io.gameevents.http.validation.ValidatorFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

/** Valid events and the exact warehouse record they produce. */
class EventRecordTest {

  @Test
  void installRecordHasEveryColumnInOrderWithTheRawPayloadVerbatim() {
    String raw = "{ \"event_id\": \"evt-1\", \"event_type\": \"install\",\n"
        + "  \"occurred_at\": \"2026-11-24T10:59:30.25+01:00\", \"player_id\": \"p-42\",\r\n"
        + "  \"app_id\": \"com.studio.game\", \"platform\": \"ios\",\n"
        + "  \"properties\": {\"campaign\": \"winter \\u00e9t\u00e9\", \"ab\": [1, 2.5, null]} }";

    Validation validation = validate(raw, "install");

    String expectedRawPayload = raw.replace('\r', ' ').replace('\n', ' ');
    assertThat(record(validation)).isEqualTo("{\"event_id\":\"evt-1\",\"event_type\":\"install\","
        + "\"schema_version\":1,\"occurred_at\":\"2026-11-24T09:59:30.250Z\","
        + "\"client_occurred_at\":\"2026-11-24T10:59:30.25+01:00\",\"received_at\":\"2026-11-24T10:00:00.123Z\","
        + "\"player_id\":\"p-42\",\"app_id\":\"com.studio.game\",\"platform\":\"ios\",\"product_id\":null,"
        + "\"quantity\":null,\"amount_micros\":null,\"currency\":null,"
        + "\"app_version\":null,\"os\":null,\"os_version\":null,\"device_model\":null,\"device_id\":null,"
        + "\"locale\":null,\"country\":null,\"session_id\":null,"
        + "\"properties\":{\"campaign\":\"winter \u00e9t\u00e9\",\"ab\":[1,2.5,null]},"
        + "\"raw_payload\":" + expectedRawPayload + ",\"replayed_at\":null}");
    PipelineEvent event = ((Validation.Valid) validation).event();
    assertThat(event.appId()).isEqualTo("com.studio.game");
    assertThat(event.eventId()).isEqualTo("evt-1");
  }

  @Test
  void purchaseRecordHasThePurchaseColumnsAndNullProperties() {
    String raw = PURCHASE.replace("\"quantity\":2", "\"quantity\":2.0,\"schema_version\":1");

    assertThat(record(validate(raw, "purchase"))).isEqualTo("{\"event_id\":\"evt-2\",\"event_type\":\"purchase\","
        + "\"schema_version\":1,\"occurred_at\":\"2026-11-24T09:58:00.000Z\","
        + "\"client_occurred_at\":\"2026-11-24T09:58:00Z\",\"received_at\":\"2026-11-24T10:00:00.123Z\","
        + "\"player_id\":\"p-42\",\"app_id\":\"com.studio.game\",\"platform\":\"android\","
        + "\"product_id\":\"gems_500\",\"quantity\":2,\"amount_micros\":4990000,\"currency\":\"EUR\","
        + "\"app_version\":null,\"os\":null,\"os_version\":null,\"device_model\":null,\"device_id\":null,"
        + "\"locale\":null,\"country\":null,\"session_id\":null,"
        + "\"properties\":null,\"raw_payload\":" + raw + ",\"replayed_at\":null}");
  }

  @Test
  void genericEndpointTakesTheTypeFromTheEvent() throws Exception {
    JsonNode record = recordTree(validate(PURCHASE, null));

    assertThat(record.get("event_type").textValue()).isEqualTo("purchase");
    assertThat(record.get("raw_payload")).isEqualTo(ValidatorFixtures.MAPPER.readTree(PURCHASE));
  }

  @Test
  void sentAtCorrectsTheDeviceClock() throws Exception {
    // sent 10 minutes after it occurred (device clock), received 1 minute after sent_at
    String raw = PURCHASE.replace("\"occurred_at\":\"2026-11-24T09:58:00Z\"",
        "\"occurred_at\":\"2026-11-24T09:50:00.123Z\",\"sent_at\":\"2026-11-24T10:00:00.123Z\"");
    JsonNode record = recordTree(ValidatorFixtures.VALIDATOR.validate(ValidatorFixtures.MAPPER.readTree(raw),
        raw.getBytes(StandardCharsets.UTF_8), "purchase", java.time.Instant.parse("2026-11-24T10:01:00.123Z")));

    assertThat(record.get("occurred_at").textValue()).isEqualTo("2026-11-24T09:51:00.123Z");
    assertThat(record.get("client_occurred_at").textValue()).isEqualTo("2026-11-24T09:50:00.123Z");
    assertThat(record.get("received_at").textValue()).isEqualTo("2026-11-24T10:01:00.123Z");
  }

  @Test
  void limitsApplyToTheCorrectedTimeSoAWrongDeviceDateIsAccepted() throws Exception {
    // the device thinks it is 2025: 40 days too old on its own, but sent 5 s after it occurred
    String raw = PURCHASE.replace("\"occurred_at\":\"2026-11-24T09:58:00Z\"",
        "\"occurred_at\":\"2025-10-15T08:00:00+02:00\",\"sent_at\":\"2025-10-15T08:00:05+02:00\"");

    JsonNode record = recordTree(validate(raw, "purchase"));

    assertThat(record.get("occurred_at").textValue()).isEqualTo("2026-11-24T09:59:55.123Z");
    assertThat(record.get("client_occurred_at").textValue()).isEqualTo("2025-10-15T08:00:00+02:00");
  }

  @Test
  void correctedTimeLaterThanTheReceiptByMoreThanTheLimitIsRejected() {
    // sent_at 30 hours BEFORE occurred_at: the corrected time lands 30 hours after receipt
    String raw = PURCHASE.replace("\"occurred_at\":\"2026-11-24T09:58:00Z\"",
        "\"occurred_at\":\"2026-11-24T09:58:00Z\",\"sent_at\":\"2026-11-23T03:58:00Z\"");

    Validation.Invalid invalid = invalid(validate(raw, "purchase"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors()).containsExactly(new FieldError("/occurred_at", "is 30 hours in the future after"
        + " clock-skew correction (occurred_at is later than sent_at); events may be at most 24 hours ahead of"
        + " the server clock"));
  }

  @Test
  void schemaVersionDefaultsToOneAndIsStored() throws Exception {
    assertThat(recordTree(validate(PURCHASE, "purchase")).get("schema_version").intValue()).isEqualTo(1);
  }

  @Test
  void contextFieldsBecomeColumnsAfterCurrencyAndBuildAndSdkStayInTheRawPayload() {
    String context = "\"context\":{\"app_version\":\"2.4.1\",\"build\":\"2041\",\"os\":\"Android\","
        + "\"os_version\":\"15\",\"device_model\":\"SM-S918B\",\"device_id\":\"d-7\",\"locale\":\"pt-BR\","
        + "\"country\":\"BR\",\"session_id\":\"s-1\",\"sdk\":{\"name\":\"game-events-java\",\"version\":\"1.1.0\"}}";
    String raw = PURCHASE.replace("\"currency\":\"EUR\"", "\"currency\":\"EUR\"," + context);

    assertThat(record(validate(raw, "purchase"))).isEqualTo("{\"event_id\":\"evt-2\",\"event_type\":\"purchase\","
        + "\"schema_version\":1,\"occurred_at\":\"2026-11-24T09:58:00.000Z\","
        + "\"client_occurred_at\":\"2026-11-24T09:58:00Z\",\"received_at\":\"2026-11-24T10:00:00.123Z\","
        + "\"player_id\":\"p-42\",\"app_id\":\"com.studio.game\",\"platform\":\"android\","
        + "\"product_id\":\"gems_500\",\"quantity\":2,\"amount_micros\":4990000,\"currency\":\"EUR\","
        + "\"app_version\":\"2.4.1\",\"os\":\"Android\",\"os_version\":\"15\",\"device_model\":\"SM-S918B\","
        + "\"device_id\":\"d-7\",\"locale\":\"pt-BR\",\"country\":\"BR\",\"session_id\":\"s-1\","
        + "\"properties\":null,\"raw_payload\":" + raw + ",\"replayed_at\":null}");
  }

  @Test
  void aPartialContextLeavesTheOtherColumnsNull() throws Exception {
    JsonNode record = recordTree(validate(PURCHASE.replace("}", ",\"context\":{\"os\":\"iOS\"}}"), "purchase"));

    assertThat(record.get("os").textValue()).isEqualTo("iOS");
    assertThat(record.get("app_version").isNull()).isTrue();
    assertThat(record.get("session_id").isNull()).isTrue();
  }

  @Test
  void aClientIpIsDroppedFromTheRecordAndTheRawPayload() throws Exception {
    String raw = PURCHASE.replace("}", ",\"context\":{\"ip\":\"203.0.113.7\",\"locale\":\"en-US\"}}");

    String record = record(validate(raw, "purchase"));

    assertThat(record).doesNotContain("203.0.113.7").doesNotContain("\"ip\"");
    JsonNode tree = ValidatorFixtures.MAPPER.readTree(record);
    JsonNode expectedPayload = ValidatorFixtures.MAPPER.readTree(raw);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expectedPayload.get("context")).remove("ip");
    assertThat(tree.get("raw_payload")).isEqualTo(expectedPayload);
    assertThat(tree.get("locale").textValue()).isEqualTo("en-US");
  }
}
