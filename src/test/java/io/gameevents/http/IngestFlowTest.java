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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** The ingestion API through real HTTP, asserting on the sink's contents. */
class IngestFlowTest extends ServiceTestBase {

  @Test
  void seedFlowStoresInstallAndPurchaseWithEveryField(VertxTestContext ctx) {
    JsonObject install = install(newId());
    JsonObject purchase = purchase(newId());
    service.postJson("/v1/events/install", install)
        .compose(first -> service.postJson("/v1/events/purchase", purchase).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          assertThat(responses.get(0).statusCode()).isEqualTo(200);
          assertThat(responses.get(0).bodyAsJsonObject())
              .isEqualTo(new JsonObject().put("status", "accepted").put("event_id", install.getString("event_id")));
          assertThat(responses.get(1).statusCode()).isEqualTo(200);
          assertThat(responses.get(1).bodyAsJsonObject())
              .isEqualTo(new JsonObject().put("status", "accepted").put("event_id", purchase.getString("event_id")));

          List<JsonObject> records = service.sinkRecords();
          assertThat(records).hasSize(2);
          JsonObject installRecord = byId(records, install.getString("event_id"));
          assertThat(installRecord.fieldNames()).containsExactlyInAnyOrder("event_id", "event_type", "schema_version",
              "occurred_at", "client_occurred_at", "received_at", "player_id", "app_id", "platform", "product_id",
              "quantity", "amount_micros", "currency", "app_version", "os", "os_version", "device_model", "device_id",
              "locale", "country", "session_id", "properties", "raw_payload", "replayed_at");
          assertThat(installRecord.getString("event_type")).isEqualTo("install");
          assertThat(installRecord.getInteger("schema_version")).isEqualTo(1);
          assertThat(Instant.parse(installRecord.getString("occurred_at")))
              .isEqualTo(Instant.parse(install.getString("occurred_at")));
          assertThat(installRecord.getString("client_occurred_at")).isEqualTo(install.getString("occurred_at"));
          assertThat(Duration.between(Instant.parse(installRecord.getString("received_at")), Instant.now()))
              .isBetween(Duration.ZERO, Duration.ofSeconds(30));
          assertThat(installRecord.getString("player_id")).isEqualTo("player_1");
          assertThat(installRecord.getString("app_id")).isEqualTo("com.game.test");
          assertThat(installRecord.getString("platform")).isEqualTo("ios");
          assertThat(installRecord.getValue("product_id")).isNull();
          assertThat(installRecord.getValue("amount_micros")).isNull();
          assertThat(installRecord.getJsonObject("raw_payload")).isEqualTo(install);

          JsonObject purchaseRecord = byId(records, purchase.getString("event_id"));
          assertThat(purchaseRecord.getString("event_type")).isEqualTo("purchase");
          assertThat(purchaseRecord.getString("product_id")).isEqualTo("gems_pack_01");
          assertThat(purchaseRecord.getInteger("quantity")).isEqualTo(1);
          assertThat(purchaseRecord.getLong("amount_micros")).isEqualTo(4_990_000L);
          assertThat(purchaseRecord.getString("currency")).isEqualTo("EUR");
          assertThat(purchaseRecord.getJsonObject("raw_payload")).isEqualTo(purchase);
          ctx.completeNow();
        })));
  }

  @Test
  void repeatOfAcceptedEventIsDuplicateAndStoredOnce(VertxTestContext ctx) {
    JsonObject event = install(newId());
    service.postJson("/v1/events/install", event)
        .compose(first -> service.postJson("/v1/events", event))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second.statusCode()).isEqualTo(200);
          assertThat(second.bodyAsJsonObject())
              .isEqualTo(new JsonObject().put("status", "duplicate").put("event_id", event.getString("event_id")));
          assertThat(service.sinkRecords()).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void genericEndpointTakesTheTypeFromTheEvent(VertxTestContext ctx) {
    JsonObject event = purchase(newId());
    service.postJson("/v1/events", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(service.sinkRecords()).singleElement()
          .satisfies(record -> assertThat(record.getString("event_type")).isEqualTo("purchase"));
      ctx.completeNow();
    })));
  }

  @Test
  void batchWithValidInvalidAndDuplicateEvents(VertxTestContext ctx) {
    JsonObject stored = install(newId());
    JsonObject fresh = purchase(newId());
    JsonObject badCurrency = purchase(newId()).put("currency", "XYZ");
    JsonObject otherApp = install(newId()).put("app_id", "com.other.game");
    service.postJson("/v1/events/install", stored)
        .compose(first -> service.postJson("/v1/batch", new JsonObject().put("events",
            new JsonArray().add(fresh).add(badCurrency).add(stored).add(otherApp).add("not an event"))))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          JsonObject body = response.bodyAsJsonObject();
          assertThat(body.getInteger("accepted")).isEqualTo(1);
          assertThat(body.getInteger("duplicates")).isEqualTo(1);
          assertThat(body.getInteger("rejected")).isEqualTo(3);
          JsonArray results = body.getJsonArray("results");
          assertThat(results.getJsonObject(0).getMap())
              .containsEntry("index", 0).containsEntry("status", "accepted")
              .containsEntry("event_id", fresh.getString("event_id"));
          assertThat(results.getJsonObject(1).getString("status")).isEqualTo("rejected");
          assertThat(results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("pointer"))
              .isEqualTo("/currency");
          assertThat(results.getJsonObject(2).getString("status")).isEqualTo("duplicate");
          assertThat(results.getJsonObject(3).getString("status")).isEqualTo("rejected");
          assertThat(results.getJsonObject(3).getJsonArray("errors").getJsonObject(0).getString("pointer"))
              .isEqualTo("/app_id");
          assertThat(results.getJsonObject(4).getString("status")).isEqualTo("rejected");

          List<JsonObject> records = service.sinkRecords();
          assertThat(records).extracting(r -> r.getString("event_id"))
              .containsExactlyInAnyOrder(stored.getString("event_id"), fresh.getString("event_id"));
          ctx.completeNow();
        })));
  }

  @Test
  void unknownFieldIsRejectedAndNothingStored(VertxTestContext ctx) {
    expectProblem(service.postJson("/v1/events/install", install(newId()).put("colour", "blue")), 400, "/colour", ctx);
  }

  @Test
  void badCurrencyIsRejected(VertxTestContext ctx) {
    expectProblem(service.postJson("/v1/events/purchase", purchase(newId()).put("currency", "EURO")), 400,
        "/currency", ctx);
  }

  @Test
  void negativeAmountAndZeroQuantityAreBothNamed(VertxTestContext ctx) {
    service.postJson("/v1/events/purchase", purchase(newId()).put("amount_micros", -1).put("quantity", 0))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
              .map(e -> ((JsonObject) e).getString("pointer")))
              .contains("/amount_micros", "/quantity");
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void futureTimestampIsRejected(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("occurred_at", Instant.now().plus(3, ChronoUnit.DAYS).toString());
    expectProblem(service.postJson("/v1/events/install", event), 400, "/occurred_at", ctx);
  }

  @Test
  void tooOldTimestampIsRejected(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("occurred_at", Instant.now().minus(40, ChronoUnit.DAYS).toString());
    expectProblem(service.postJson("/v1/events/install", event), 400, "/occurred_at", ctx);
  }

  @Test
  void clockSkewIsCorrectedWithSentAt(VertxTestContext ctx) {
    // the device clock is 2 hours fast: it says the event happened 10 minutes before it was sent
    Instant deviceNow = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    String clientOccurred = deviceNow.minus(10, ChronoUnit.MINUTES).toString();
    JsonObject event = install(newId()).put("occurred_at", clientOccurred).put("sent_at", deviceNow.toString());
    service.postJson("/v1/events/install", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject record = service.sinkRecords().get(0);
      Instant received = Instant.parse(record.getString("received_at"));
      assertThat(Instant.parse(record.getString("occurred_at"))).isEqualTo(received.minus(10, ChronoUnit.MINUTES));
      assertThat(record.getString("client_occurred_at")).isEqualTo(clientOccurred);
      ctx.completeNow();
    })));
  }

  @Test
  void typedEndpointRefusesAnotherType(VertxTestContext ctx) {
    expectProblem(service.postJson("/v1/events/install", purchase(newId())), 400, "/event_type", ctx);
  }

  @Test
  void unknownEventTypeIs404(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("event_type", "level_up");
    service.postJson("/v1/events", event).compose(generic -> service.postJson("/v1/events/level_up", event)
            .map(typed -> List.of(generic, typed)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          for (HttpResponse<Buffer> response : responses) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.bodyAsJsonObject().getString("detail")).contains("level_up");
          }
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void malformedJsonIs400(VertxTestContext ctx) {
    service.post("/v1/events/install").sendBuffer(Buffer.buffer("{\"event_id\": "))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
          JsonObject problem = response.bodyAsJsonObject();
          assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:malformed-request");
          assertThat(problem.getInteger("status")).isEqualTo(400);
          assertThat(problem.getString("detail")).startsWith("the body is not valid JSON");
          ctx.completeNow();
        })));
  }

  @Test
  void unknownPathIsProblem404(VertxTestContext ctx) {
    service.client.get("/v2/nothing").send().onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      ctx.completeNow();
    })));
  }

  @Test
  void healthAndReady(VertxTestContext ctx) {
    Future.all(service.client.get("/health").send(), service.probe("/ready").send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> health = all.resultAt(0);
          HttpResponse<Buffer> ready = all.resultAt(1);
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(ready.statusCode()).isEqualTo(200);
          assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("ready");
          JsonObject stages = ready.bodyAsJsonObject().getJsonObject("stages");
          assertThat(stages.getJsonObject("delivery").getJsonObject("local").getString("sink")).isEqualTo("file");
          assertThat(stages.getJsonObject("dedup")).isEqualTo(new JsonObject().put("partitions", 64)
              .put("served", 64).put("missing", new io.vertx.core.json.JsonArray()));
          ctx.completeNow();
        })));
  }

  private void expectProblem(Future<HttpResponse<Buffer>> request, int status, String pointer, VertxTestContext ctx) {
    request.onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      JsonObject problem = response.bodyAsJsonObject();
      assertThat(problem.getInteger("status")).isEqualTo(status);
      assertThat(problem.getString("title")).isNotBlank();
      assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
          .contains(pointer);
      assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("message")))
          .allSatisfy(message -> assertThat(message).isNotBlank().doesNotContain("$."));
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }

  private static JsonObject byId(List<JsonObject> records, String eventId) {
    return records.stream().filter(r -> eventId.equals(r.getString("event_id"))).findFirst().orElseThrow();
  }
}
