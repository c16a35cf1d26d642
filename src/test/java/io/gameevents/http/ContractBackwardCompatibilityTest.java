package io.gameevents.http;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events that were valid before the context and id-hygiene changes (contract v1 as first released) are still
 * accepted and stored with the record they had then, plus the eight context columns as null.
 */
class ContractBackwardCompatibilityTest extends ServiceTestBase {

  /** The record's columns before context existed, in order. */
  private static final List<String> COLUMNS_BEFORE = List.of("event_id", "event_type", "schema_version",
      "occurred_at", "client_occurred_at", "received_at", "player_id", "app_id", "platform", "product_id",
      "quantity", "amount_micros", "currency", "properties", "raw_payload");
  private static final String REPLAYED_AT = "replayed_at";
  private static final List<String> CONTEXT_COLUMNS = List.of("app_version", "os", "os_version", "device_model",
      "device_id", "locale", "country", "session_id");
  /** A custom type written the way schemas/README.md described it before: no context. */
  private static final String LEVEL_UP_V1 = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
      + "\"type\": \"object\","
      + "\"required\": [\"event_id\", \"event_type\", \"occurred_at\", \"player_id\", \"app_id\", \"platform\"],"
      + "\"properties\": {\"event_id\": {\"$ref\": \"common.v1.json#/$defs/event_id\"},"
      + "\"event_type\": {\"const\": \"level_up\"},"
      + "\"occurred_at\": {\"$ref\": \"common.v1.json#/$defs/timestamp\"},"
      + "\"player_id\": {\"$ref\": \"common.v1.json#/$defs/player_id\"},"
      + "\"app_id\": {\"$ref\": \"common.v1.json#/$defs/app_id\"},"
      + "\"platform\": {\"$ref\": \"common.v1.json#/$defs/platform\"},"
      + "\"properties\": {\"$ref\": \"common.v1.json#/$defs/properties\"},"
      + "\"level\": {\"type\": \"integer\", \"minimum\": 2}},"
      + "\"additionalProperties\": false}";

  @TempDir
  static Path schemas;

  private final String now = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();

  @Override
  protected JsonObject configure(JsonObject config) {
    try {
      Files.writeString(schemas.resolve("level_up.v1.json"), LEVEL_UP_V1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.put("validation", new JsonObject().put("schema_directory", schemas.toString())
        .put("event_types", new JsonArray().add("install").add("purchase").add("level_up")));
  }

  @Test
  void theReadmeInstallIsStoredAsBefore(VertxTestContext ctx) {
    // the README's curl body, byte for byte, with the timestamp the shell would put in
    String body = "{\n"
        + "    \"event_id\": \"3f6c1a9e-0d7b-4c1e-9a51-2b0c0f6d9e11\", \"event_type\": \"install\",\n"
        + "    \"occurred_at\": \"" + now + "\", \"player_id\": \"player_1\",\n"
        + "    \"app_id\": \"com.game.test\", \"platform\": \"ios\"}";
    post("/v1/events/install", body).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "accepted")
          .put("event_id", "3f6c1a9e-0d7b-4c1e-9a51-2b0c0f6d9e11"));
      JsonObject stored = service.sinkRecords().get(0);
      assertStoredAsBefore(stored, new Before("3f6c1a9e-0d7b-4c1e-9a51-2b0c0f6d9e11", "install", "player_1", "ios")
          .record(stored, new JsonObject(body)));
      ctx.completeNow();
    })));
  }

  @Test
  void aPurchaseWithSentAtAndPropertiesIsStoredAsBefore(VertxTestContext ctx) {
    JsonObject purchase = TestService.purchase("p-" + TestService.newId()).put("sent_at", now)
        .put("properties", new JsonObject().put("store", "google_play").put("offer", new JsonArray().add(1).add("x")));
    service.postJson("/v1/events/purchase", purchase).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject stored = service.sinkRecords().get(0);
      Before expected = new Before(purchase.getString("event_id"), "purchase", "player_1", "ios");
      expected.clientOccurredAt = purchase.getString("occurred_at");
      expected.purchase = true;
      assertStoredAsBefore(stored, expected.record(stored, purchase));
      ctx.completeNow();
    })));
  }

  @Test
  void aBatchAndACustomTypeEventAreStoredAsBefore(VertxTestContext ctx) {
    JsonObject install = TestService.install("i-" + TestService.newId()).put("occurred_at", now)
        .put("properties", new JsonObject().put("campaign", "winter"));
    JsonObject levelUp = new JsonObject().put("event_id", "lv-" + TestService.newId()).put("event_type", "level_up")
        .put("occurred_at", now).put("player_id", "p-7").put("app_id", TestService.APP).put("platform", "switch")
        .put("level", 7);
    Future<HttpResponse<Buffer>> batch = service.postJson("/v1/batch",
        new JsonObject().put("events", new JsonArray().add(install).add(levelUp)));
    batch.compose(first -> service.postJson("/v1/events/level_up", levelUp.copy().put("event_id", "lv-2"))
            .map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertThat(responses.get(0).bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
          assertThat(responses.get(1).statusCode()).isEqualTo(200);
          List<JsonObject> records = service.sinkRecords();
          assertThat(records).hasSize(3);
          JsonObject storedInstall = byId(records, install.getString("event_id"));
          assertStoredAsBefore(storedInstall, new Before(install.getString("event_id"), "install", "player_1", "ios")
              .record(storedInstall, install));
          for (String id : List.of(levelUp.getString("event_id"), "lv-2")) {
            JsonObject stored = byId(records, id);
            // the one change for a custom type (issue 12): its declared fields also follow raw_payload as columns
            assertThat(new ArrayList<>(stored.fieldNames())).last().isEqualTo("level");
            assertThat(stored.getInteger("level")).isEqualTo(7);
            JsonObject withoutCustomColumn = stored.copy();
            withoutCustomColumn.remove("level");
            assertStoredAsBefore(withoutCustomColumn, new Before(id, "level_up", "p-7", "switch")
                .record(withoutCustomColumn, levelUp.copy().put("event_id", id)));
          }
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> post(String path, String body) {
    return service.post(path).sendBuffer(Buffer.buffer(body));
  }

  /**
   * The stored record has the old columns in the old order with the old values, and null context columns (and a
   * null replayed_at, issue 23, after raw_payload).
   */
  private static void assertStoredAsBefore(JsonObject stored, JsonObject before) {
    List<String> expectedColumns = new ArrayList<>(COLUMNS_BEFORE);
    expectedColumns.addAll(COLUMNS_BEFORE.indexOf("currency") + 1, CONTEXT_COLUMNS);
    expectedColumns.add(REPLAYED_AT);
    assertThat(new ArrayList<>(stored.fieldNames())).isEqualTo(expectedColumns);
    JsonObject withoutContext = stored.copy();
    assertThat(stored.containsKey(REPLAYED_AT) && stored.getValue(REPLAYED_AT) == null).as("replayed_at is null")
        .isTrue();
    withoutContext.remove(REPLAYED_AT);
    for (String column : CONTEXT_COLUMNS) {
      assertThat(stored.containsKey(column) && stored.getValue(column) == null).as(column + " is null").isTrue();
      withoutContext.remove(column);
    }
    assertThat(withoutContext).isEqualTo(before);
    assertThat(new ArrayList<>(withoutContext.fieldNames())).isEqualTo(COLUMNS_BEFORE);
  }

  /** The record as the service wrote it before the change, for an event sent without sent_at skew. */
  private final class Before {
    final String eventId;
    final String type;
    final String playerId;
    final String platform;
    String clientOccurredAt = now;
    boolean purchase;

    Before(String eventId, String type, String playerId, String platform) {
      this.eventId = eventId;
      this.type = type;
      this.playerId = playerId;
      this.platform = platform;
    }

    /** received_at is the server's clock (and, with sent_at, so is occurred_at): taken from the stored record. */
    JsonObject record(JsonObject stored, JsonObject sent) {
      String occurredAt = sent.containsKey("sent_at") ? stored.getString("occurred_at")
          : Instant.parse(clientOccurredAt).toString().replace("Z", ".000Z");
      return new JsonObject().put("event_id", eventId).put("event_type", type).put("schema_version", 1)
          .put("occurred_at", occurredAt).put("client_occurred_at", clientOccurredAt)
          .put("received_at", stored.getString("received_at")).put("player_id", playerId)
          .put("app_id", TestService.APP).put("platform", platform)
          .put("product_id", purchase ? "gems_pack_01" : null).put("quantity", purchase ? 1 : null)
          .put("amount_micros", purchase ? 4_990_000 : null).put("currency", purchase ? "EUR" : null)
          .put("properties", sent.getJsonObject("properties")).put("raw_payload", sent);
    }
  }

  private static JsonObject byId(List<JsonObject> records, String eventId) {
    return records.stream().filter(r -> eventId.equals(r.getString("event_id"))).findFirst().orElseThrow();
  }
}
