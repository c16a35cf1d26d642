package io.gameevents.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * Refused records in the refused lake's line format (issue 23's contract), written here rather than by the service,
 * so replay is tested against the format itself.
 */
public final class RefusedRecords {

  private RefusedRecords() {
  }

  /** The line the service keeps for {@code event}, refused at {@code refusedAt} for one reason at {@code pointer}. */
  public static JsonObject of(Instant refusedAt, String keyId, JsonObject event, String pointer, String message) {
    JsonObject context = event.getJsonObject("context", new JsonObject());
    JsonObject sdk = context.getJsonObject("sdk", new JsonObject());
    return new JsonObject()
        .put("refused_at", refusedAt.toString())
        .put("request_id", UUID.randomUUID().toString().replace("-", ""))
        .put("key_id", keyId)
        .put("app_id", event.getString("app_id"))
        .put("event_type", event.getString("event_type"))
        .put("event_id", event.getString("event_id"))
        .put("schema_version", event.getInteger("schema_version", 1))
        .put("app_version", context.getString("app_version"))
        .put("sdk_name", sdk.getString("name"))
        .put("sdk_version", sdk.getString("version"))
        .put("problem_type", "invalid-event")
        .put("reasons", new JsonArray().add(new JsonObject().put("pointer", pointer).put("message", message)))
        .put("payload", event.encode())
        .put("payload_truncated", false);
  }

  /** A purchase the built-in schema refuses for its lower-case currency, sent from a build with a context. */
  public static JsonObject lowerCasePurchase(String eventId, Instant occurredAt, String appVersion) {
    return TestService.purchase(eventId).put("occurred_at", occurredAt.toString()).put("currency", "eur")
        .put("context", new JsonObject().put("app_version", appVersion).put("os", "Android")
            .put("sdk", new JsonObject().put("name", "game-events-java").put("version", "1.2.0")));
  }
}
