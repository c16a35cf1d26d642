package io.gameevents.debugger;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.Sinks;
import io.gameevents.support.SseStream;
import io.gameevents.support.TestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.ADMIN_TOKEN;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /debugger/events through real HTTP: what each answered event looks like in the stream, filters, replay. */
@ExtendWith(VertxExtension.class)
class DebuggerStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void anAcceptedADuplicateAndARefusedEventAppearWithTheirFieldsAndTheRefusedOneWithItsErrors(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      JsonObject event = install(newId()).put("properties", new JsonObject().put("level", 3));
      HttpResponse<Buffer> accepted = service.postJson("/v1/events/install", event).await(60, SECONDS);
      HttpResponse<Buffer> duplicate = service.postJson("/v1/events/install", event).await(60, SECONDS);
      JsonObject bad = install(newId());
      bad.remove("player_id");
      HttpResponse<Buffer> refused = service.postJson("/v1/events/install", bad).await(60, SECONDS);
      assertThat(List.of(accepted.statusCode(), duplicate.statusCode(), refused.statusCode()))
          .containsExactly(200, 200, 400);

      await().atMost(WAIT).until(() -> stream.entries().size() >= 3);
      List<JsonObject> entries = stream.entries();
      assertThat(entries).extracting(e -> e.getString("status")).containsExactly("accepted", "duplicate", "rejected");
      JsonObject first = entries.get(0);
      assertThat(first.getString("request_id")).isEqualTo(accepted.getHeader("X-Request-Id"));
      assertThat(first.getString("app_id")).isEqualTo(TestService.APP);
      assertThat(first.getString("event_type")).isEqualTo("install");
      assertThat(first.getString("event_id")).isEqualTo(event.getString("event_id"));
      assertThat(first.getString("player_id")).isEqualTo("player_1");
      assertThat(first.getString("platform")).isEqualTo("ios");
      assertThat(first.getString("key_id")).isEqualTo("dev");
      assertThat(first.getString("node")).isEqualTo("local");
      assertThat(first.getDouble("latency_ms")).isGreaterThanOrEqualTo(0.0);
      assertThat(first.getValue("errors")).isNull();
      // the event as received and the stored record; properties are off by default (debugger.show_properties)
      assertThat(first.getJsonObject("received").getString("event_id")).isEqualTo(event.getString("event_id"));
      assertThat(first.getJsonObject("received").getString("properties")).startsWith("(not shown");
      JsonObject stored = first.getJsonObject("stored");
      assertThat(stored.getString("received_at")).isEqualTo(service.sinkRecords().get(0).getString("received_at"));
      assertThat(stored.getString("properties")).startsWith("(not shown");
      assertThat(stored.getJsonObject("raw_payload").getString("properties")).startsWith("(not shown");
      assertThat(entries.get(1).getString("event_id")).isEqualTo(event.getString("event_id"));
      assertThat(entries.get(1).getValue("stored")).isNull();
      JsonObject rejected = entries.get(2);
      assertThat(rejected.getString("event_id")).isEqualTo(bad.getString("event_id"));
      assertThat(rejected.getString("request_id")).isEqualTo(refused.getHeader("X-Request-Id"));
      assertThat(rejected.getJsonArray("errors")).isEqualTo(refused.bodyAsJsonObject().getJsonArray("errors"));
      assertThat(rejected.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/player_id");
      // refused for its content: kept in the refused tree, as its answer said
      assertThat(refused.bodyAsJsonObject().getBoolean("kept")).isTrue();
      assertThat(rejected.getBoolean("kept")).isTrue();
      assertThat(first.containsKey("kept")).isFalse();
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void aBatchShowsEachEventAndARequestRefusedBeforeItsEventsShowsOnce(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      JsonObject good = purchase(newId());
      JsonArray events = new JsonArray().add(good).add("not an event").add(install(newId()).put("app_id", "com.other.game"));
      HttpResponse<Buffer> batch = service.postJson("/v1/batch", new JsonObject().put("events", events)).await(60, SECONDS);
      assertThat(batch.statusCode()).isEqualTo(200);
      HttpResponse<Buffer> unknownKey = service.post("/v1/events/install", "no-such-key-123")
          .sendJsonObject(install(newId())).await(60, SECONDS);
      assertThat(unknownKey.statusCode()).isEqualTo(401);

      await().atMost(WAIT).until(() -> stream.entries().size() >= 4);
      List<JsonObject> entries = stream.entries();
      JsonArray results = batch.bodyAsJsonObject().getJsonArray("results");
      assertThat(entries).extracting(e -> e.getString("status"))
          .containsExactlyInAnyOrder("accepted", "rejected", "rejected", "rejected");
      JsonObject purchase = entries.stream().filter(e -> "accepted".equals(e.getString("status"))).findFirst().get();
      assertThat(purchase.getString("event_type")).isEqualTo("purchase");
      assertThat(purchase.getString("event_id")).isEqualTo(good.getString("event_id"));
      assertThat(entries.stream().filter(e -> e.getJsonArray("errors") != null).map(e -> e.getJsonArray("errors")))
          .contains(results.getJsonObject(1).getJsonArray("errors"), results.getJsonObject(2).getJsonArray("errors"));
      // the element that is not an object: nothing of it kept; the other app's event: not a refusal for content
      assertThat(entries).filteredOn(e -> results.getJsonObject(1).getJsonArray("errors").equals(e.getJsonArray("errors")))
          .singleElement().satisfies(e -> assertThat(e.getBoolean("kept")).isFalse());
      assertThat(entries).filteredOn(e -> results.getJsonObject(2).getJsonArray("errors").equals(e.getJsonArray("errors")))
          .singleElement().satisfies(e -> assertThat(e.containsKey("kept")).isFalse());
      JsonObject unauthorized = entries.get(3);
      assertThat(unauthorized.getString("request_id")).isEqualTo(unknownKey.getHeader("X-Request-Id"));
      assertThat(unauthorized.getString("detail")).isEqualTo(unknownKey.bodyAsJsonObject().getString("detail"));
      assertThat(unauthorized.getValue("key_id")).isNull();
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void aBodyRefusedWhileBeingReadShowsWithItsDetail(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      HttpResponse<Buffer> garbage = service.post("/v1/batch").putHeader("Content-Encoding", "gzip")
          .sendBuffer(Buffer.buffer("this is not gzip")).await(60, SECONDS);
      assertThat(garbage.statusCode()).isEqualTo(400);
      HttpResponse<Buffer> notJson = service.post("/v1/events/install").sendBuffer(Buffer.buffer("{\"event_id\": ")).await(60, SECONDS);
      assertThat(notJson.statusCode()).isEqualTo(400);

      await().atMost(WAIT).until(() -> stream.entries().size() >= 2);
      JsonObject unreadable = stream.entries().get(0);
      assertThat(unreadable.getString("status")).isEqualTo("rejected");
      assertThat(unreadable.getString("detail")).isEqualTo(garbage.bodyAsJsonObject().getString("detail"));
      assertThat(unreadable.getString("key_id")).isEqualTo("dev");
      JsonObject malformed = stream.entries().get(1);
      assertThat(malformed.getString("detail")).isEqualTo(notJson.bodyAsJsonObject().getString("detail"));
      assertThat(malformed.getString("event_type")).isEqualTo("install");
      // a body that is no event cannot have its properties left out, so it shows only with show_properties on
      assertThat(malformed.getString("received")).startsWith("(not shown");
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void filtersByAppTypeAndStatus(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try (SseStream refusals = open(vertx, service, "/debugger/events?status=rejected,rate_limited");
         SseStream purchases = open(vertx, service, "/debugger/events?event_type=purchase");
         SseStream otherApp = open(vertx, service, "/debugger/events?app_id=com.other.game")) {
      JsonObject bad = install(newId());
      bad.remove("platform");
      String purchaseId = newId();
      assertThat(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).statusCode()).isEqualTo(200);
      assertThat(service.postJson("/v1/events/purchase", purchase(purchaseId)).await(60, SECONDS).statusCode()).isEqualTo(200);
      assertThat(service.postJson("/v1/events/install", bad).await(60, SECONDS).statusCode()).isEqualTo(400);
      String last = newId();
      assertThat(service.post("/v1/events/install", TestService.OTHER_APP_KEY)
          .sendJsonObject(install(last).put("app_id", "com.other.game")).await(60, SECONDS).statusCode()).isEqualTo(200);

      await().atMost(WAIT).until(() -> !otherApp.entries().isEmpty());
      // the stream sends in order: once the last event is there, every earlier match is too
      assertThat(refusals.entries()).extracting(e -> e.getString("event_id")).containsExactly(bad.getString("event_id"));
      assertThat(purchases.entries()).extracting(e -> e.getString("event_id")).containsExactly(purchaseId);
      assertThat(otherApp.entries()).extracting(e -> e.getString("event_id")).containsExactly(last);
      assertThat(otherApp.entries().get(0).getString("key_id")).isEqualTo("other");
    } finally {
      service.stop().await(60, SECONDS);
    }
    TestService again = start(vertx, c -> c);
    try {
      HttpResponse<Buffer> wrong = again.client.get("/debugger/events?status=lost")
          .putHeader("Authorization", "Bearer " + ADMIN_TOKEN).send().await(60, SECONDS);
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(wrong.bodyAsJsonObject().getString("detail")).contains("\"lost\"").contains("rate_limited");
    } finally {
      again.stop().await(60, SECONDS);
    }
  }

  @Test
  void aNewSubscriberFirstGetsTheLastBufferedEntriesThenLiveOnes(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c.put("debugger", new JsonObject().put("buffer_size", 3)));
    try {
      List<String> ids = List.of(newId(), newId(), newId(), newId(), newId());
      for (String id : ids) {
        assertThat(service.postJson("/v1/events/install", install(id)).await(60, SECONDS).statusCode()).isEqualTo(200);
      }
      try (SseStream stream = open(vertx, service, "/debugger/events")) {
        await().atMost(WAIT).until(() -> stream.entries().size() >= 3);
        String live = newId();
        assertThat(service.postJson("/v1/events/install", install(live)).await(60, SECONDS).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> stream.entries().size() >= 4);
        assertThat(stream.entries()).extracting(e -> e.getString("event_id"))
            .containsExactly(ids.get(2), ids.get(3), ids.get(4), live);
        assertThat(stream.named("hello").get(0).getInteger("buffer_size")).isEqualTo(3);
        assertThat(stream.named("counts")).isNotEmpty();
        // an open stream does not hold up a shutdown: it is closed with the listener
        TestService stopping = service;
        service = null;
        stopping.stop().await(60, SECONDS);
        await().atMost(WAIT).until(stream::ended);
      }
    } finally {
      if (service != null) {
        service.stop().await(60, SECONDS);
      }
    }
  }

  @Test
  void aSubscriberOverTheRateGetsASkippedNoticeInsteadOfEveryEvent(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c.put("debugger", new JsonObject().put("max_events_per_second", 2)));
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      JsonArray events = new JsonArray();
      for (int i = 0; i < 30; i++) {
        events.add(install(newId()));
      }
      assertThat(service.postJson("/v1/batch", new JsonObject().put("events", events)).await(60, SECONDS).statusCode()).isEqualTo(200);

      await().atMost(WAIT).until(() -> !stream.named("skipped").isEmpty());
      long skipped = stream.named("skipped").stream().mapToLong(s -> s.getLong("skipped")).sum();
      assertThat(stream.entries().size()).isLessThan(30);
      await().atMost(WAIT).untilAsserted(() -> assertThat(
          stream.entries().size() + stream.named("skipped").stream().mapToLong(s -> s.getLong("skipped")).sum())
          .isEqualTo(30));
      assertThat(skipped).isPositive();
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void playerIdsAreMaskedWhenConfiguredAndPropertiesShownWhenOn(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c.put("debugger",
        new JsonObject().put("mask_player_ids", true).put("show_properties", true)));
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      JsonObject one = install(newId()).put("properties", new JsonObject().put("level", 3));
      assertThat(service.postJson("/v1/events/install", one).await(60, SECONDS).statusCode()).isEqualTo(200);
      assertThat(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).statusCode()).isEqualTo(200);

      await().atMost(WAIT).until(() -> stream.entries().size() >= 2);
      JsonObject first = stream.entries().get(0);
      assertThat(first.getString("player_id")).startsWith("masked:").isEqualTo(stream.entries().get(1).getString("player_id"));
      assertThat(first.getJsonObject("received").getString("player_id")).isEqualTo(first.getString("player_id"));
      assertThat(first.getJsonObject("stored").getString("player_id")).isEqualTo(first.getString("player_id"));
      assertThat(first.getJsonObject("received").getJsonObject("properties")).isEqualTo(new JsonObject().put("level", 3));
      assertThat(stream.raw()).doesNotContain("player_1");
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void atMostMaxSubscribersStreamsAreOpen(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c.put("debugger", new JsonObject().put("max_subscribers", 1)));
    try (SseStream first = open(vertx, service, "/debugger/events");
         SseStream second = open(vertx, service, "/debugger/events")) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(503);
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  static TestService start(Vertx vertx, UnaryOperator<JsonObject> tweak) throws Exception {
    return TestService.start(vertx, tweak, Sinks.FROM_CONFIG, new SimpleMeterRegistry()).await(60, SECONDS);
  }

  static SseStream open(Vertx vertx, TestService service, String path) throws Exception {
    return SseStream.open(vertx, service.port, path, ADMIN_TOKEN).await(60, SECONDS);
  }
}
