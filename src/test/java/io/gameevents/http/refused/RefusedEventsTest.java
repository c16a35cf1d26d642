package io.gameevents.http.refused;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/** Events refused for their content are kept in the refused tree before their answer, which says so. */
class RefusedEventsTest extends ServiceTestBase {

  @Override
  protected JsonObject configure(JsonObject config) {
    // a budget of 2 kept refusals at once per (credential, client address), refilled at 1 a second
    return config.put("refused", new JsonObject()
        .put("per_address", new JsonObject().put("events_per_second", 1).put("burst", 2)));
  }

  @Test
  void aLowerCaseCurrencyIsAnswered400KeptAndItsBytesAreKeptExactly() throws Exception {
    String eventId = newId();
    String occurredAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString();
    // odd spacing, key order and text outside ASCII: the kept bytes must be these, not a re-encoding
    String sent = "{ \"event_id\":\"" + eventId + "\",  \"event_type\" : \"purchase\",\"occurred_at\":\"" + occurredAt
        + "\",\"player_id\":\"player_1\",\"app_id\":\"com.game.test\",\"platform\":\"ios\",\"product_id\":\"gems_pack_01\","
        + "\"quantity\":1,\"amount_micros\":4990000,\"currency\":\"eur\",\"schema_version\":1,"
        + "\"context\":{\"app_version\":\"2.4.0\",\"sdk\":{\"name\":\"game-events-unity\",\"version\":\"1.3.0\"}},"
        + "\"properties\":{\"label\":\"Jos\u00e9 \u20ac \ud83d\ude00\"}\n}";
    byte[] bytes = sent.getBytes(StandardCharsets.UTF_8);
    Instant before = Instant.now();

    HttpResponse<Buffer> response = service.post("/v1/events/purchase").sendBuffer(Buffer.buffer(bytes))
        .await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    String requestId = response.getHeader("X-Request-Id");
    JsonArray reasons = new JsonArray().add(new JsonObject().put("pointer", "/currency")
        .put("message", "currency codes are upper case: EUR"));
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("type", "urn:game-events:problem:invalid-event").put("title", "Invalid event").put("status", 400)
        .put("detail", "The purchase event (schema v1) is not valid: 1 field is wrong.")
        .put("errors", reasons).put("kept", true).put("request_id", requestId));

    JsonObject record = service.refusedRecords().get(0);
    assertThat(service.refusedRecords()).hasSize(1);
    assertThat(record.fieldNames()).containsExactly("refused_at", "request_id", "key_id", "app_id", "event_type",
        "event_id", "schema_version", "app_version", "sdk_name", "sdk_version", "problem_type", "reasons", "payload",
        "payload_truncated");
    assertThat(Instant.parse(record.getString("refused_at"))).isBetween(before.minusSeconds(1), Instant.now());
    assertThat(record.getString("request_id")).isEqualTo(requestId);
    assertThat(record.getString("key_id")).isEqualTo("dev");
    assertThat(record.getString("app_id")).isEqualTo("com.game.test");
    assertThat(record.getString("event_type")).isEqualTo("purchase");
    assertThat(record.getString("event_id")).isEqualTo(eventId);
    assertThat(record.getInteger("schema_version")).isEqualTo(1);
    assertThat(record.getString("app_version")).isEqualTo("2.4.0");
    assertThat(record.getString("sdk_name")).isEqualTo("game-events-unity");
    assertThat(record.getString("sdk_version")).isEqualTo("1.3.0");
    assertThat(record.getString("problem_type")).isEqualTo("invalid-event");
    assertThat(record.getJsonArray("reasons")).isEqualTo(reasons);
    assertThat(record.getString("payload").getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);
    assertThat(record.getBoolean("payload_truncated")).isFalse();
    assertThat(service.sinkRecords()).isEmpty();
    assertThat(counted("true", "invalid-event", "2.4.0")).isEqualTo(1.0);
  }

  @Test
  void aBatchKeepsItsRefusedEventsWithinTheBudgetAndSaysWhichWereNotKept() throws Exception {
    JsonObject valid = purchase(newId());
    List<JsonObject> bad = List.of(purchase(newId()).put("currency", "eur"), purchase(newId()).put("quantity", 0),
        purchase(newId()).put("currency", "usd"));
    HttpResponse<Buffer> response = service.postJson("/v1/batch", new JsonObject().put("events",
        new JsonArray().add(bad.get(0)).add(valid).add(bad.get(1)).add(bad.get(2)))).await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("accepted")).isEqualTo(1);
    assertThat(body.getInteger("rejected")).isEqualTo(3);
    JsonArray results = body.getJsonArray("results");
    assertThat(results.getJsonObject(0)).isEqualTo(new JsonObject().put("index", 0)
        .put("event_id", bad.get(0).getString("event_id")).put("status", "rejected")
        .put("errors", new JsonArray().add(new JsonObject().put("pointer", "/currency")
            .put("message", "currency codes are upper case: EUR")))
        .put("kept", true));
    assertThat(results.getJsonObject(1).getMap()).containsEntry("status", "accepted").doesNotContainKey("kept");
    assertThat(results.getJsonObject(2).getBoolean("kept")).isTrue();
    // the budget (burst 2) is spent: the third refusal is answered the same way, "not kept"
    assertThat(results.getJsonObject(3).getString("status")).isEqualTo("rejected");
    assertThat(results.getJsonObject(3).getBoolean("kept")).isFalse();

    List<JsonObject> kept = service.refusedRecords();
    assertThat(kept).extracting(record -> record.getString("event_id"))
        .containsExactly(bad.get(0).getString("event_id"), bad.get(1).getString("event_id"));
    assertThat(new JsonObject(kept.get(1).getString("payload"))).isEqualTo(bad.get(1));
    assertThat(kept.get(1).getJsonArray("reasons").getJsonObject(0).getString("pointer")).isEqualTo("/quantity");
    assertThat(service.sinkRecords()).extracting(record -> record.getString("event_id"))
        .containsExactly(valid.getString("event_id"));
    assertThat(counted("false", "invalid-event", "none")).isEqualTo(1.0);
    assertThat(counted("true", "invalid-event", "none")).isEqualTo(2.0);
  }

  @Test
  void aBodyThatIsNotJsonIsKeptAsItsRawBytes() throws Exception {
    byte[] body = "{\"event_id\": \"abc\", oops".getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> response = service.post("/v1/events/install").sendBuffer(Buffer.buffer(body))
        .await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("urn:game-events:problem:malformed-request");
    assertThat(response.bodyAsJsonObject().getBoolean("kept")).isTrue();
    JsonObject record = service.refusedRecords().get(0);
    assertThat(record.getString("payload").getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(record.getString("problem_type")).isEqualTo("malformed-request");
    assertThat(record.getString("event_type")).isEqualTo("install");
    assertThat(record.getValue("app_id")).isNull();
    assertThat(record.getJsonArray("reasons").getJsonObject(0).getString("message"))
        .isEqualTo(response.bodyAsJsonObject().getString("detail"));
  }

  @Test
  void aBodyThatIsNotUtf8IsKeptAsBase64() throws Exception {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    HttpResponse<Buffer> response = service.post("/v1/events").sendBuffer(Buffer.buffer(body)).await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getBoolean("kept")).isTrue();
    JsonObject record = service.refusedRecords().get(0);
    assertThat(record.containsKey("payload")).isFalse();
    assertThat(Base64.getDecoder().decode(record.getString("payload_base64"))).isEqualTo(body);
  }

  @Test
  void anEventForAnotherAppAndARequestWithoutACredentialAreNotKept() throws Exception {
    HttpResponse<Buffer> forbidden = service.postJson("/v1/events/install",
        install(newId()).put("app_id", "com.other.game")).await(60, SECONDS);
    HttpResponse<Buffer> unauthenticated = service.post("/v1/events/purchase", null)
        .sendBuffer(purchase(newId()).put("currency", "eur").toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> forbiddenBadlyFormed = service.postJson("/v1/events/purchase",
        purchase(newId()).put("app_id", "com.other.game").put("currency", "eur")).await(60, SECONDS);

    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.bodyAsJsonObject().containsKey("kept")).isFalse();
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.bodyAsJsonObject().containsKey("kept")).isFalse();
    assertThat(forbiddenBadlyFormed.statusCode()).isEqualTo(403);
    assertThat(service.refusedRecords()).isEmpty();
  }

  @Test
  void aValidEventIsNotKeptAsRefused() throws Exception {
    HttpResponse<Buffer> response = service.postJson("/v1/events/purchase", purchase(newId())).await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(service.sinkRecords()).hasSize(1);
    assertThat(service.refusedRecords()).isEmpty();
    assertThat(TestService.SinkFiles.records(service.dataDir.resolve("refused"))).isEmpty();
  }

  private double counted(String kept, String reason, String appVersion) {
    var counter = service.registry.find("game_events_refused").tag("kept", kept).tag("reason", reason)
        .tag("app_version", appVersion).counter();
    return counter == null ? 0 : counter.count();
  }

}
