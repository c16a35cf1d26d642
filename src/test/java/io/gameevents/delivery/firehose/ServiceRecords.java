package io.gameevents.delivery.firehose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gameevents.config.ValidationConfig;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.http.validation.Validation;
import io.gameevents.pipeline.PipelineEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Records exactly as the service writes them: validated and serialized by the real {@link EventValidator}. */
final class ServiceRecords {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final EventValidator VALIDATOR = EventValidator.load(
      new ValidationConfig(List.of("install", "purchase"), null, 24 * 3600, 30L * 24 * 3600, 16 * 1024));

  private ServiceRecords() {
  }

  static PipelineEvent install(String appId, String eventId) {
    return install(appId, eventId, "player_1", null);
  }

  /** @param properties an object, or null for none */
  static PipelineEvent install(String appId, String eventId, String playerId, ObjectNode properties) {
    Instant now = Instant.now();
    ObjectNode event = MAPPER.createObjectNode()
        .put("event_id", eventId)
        .put("event_type", "install")
        .put("occurred_at", now.minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString())
        .put("player_id", playerId)
        .put("app_id", appId)
        .put("platform", "ios");
    if (properties != null) {
      event.set("properties", properties);
    }
    try {
      byte[] raw = MAPPER.writeValueAsBytes(event);
      Validation validation = VALIDATOR.validate(MAPPER.readTree(raw), raw, "install", now);
      if (!(validation instanceof Validation.Valid valid)) {
        throw new AssertionError("not a valid test event: " + validation);
      }
      return valid.event();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String text(PipelineEvent event) {
    return new String(event.record(), StandardCharsets.UTF_8);
  }
}
