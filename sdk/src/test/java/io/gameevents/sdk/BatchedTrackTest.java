package io.gameevents.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.awaitFailure;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class BatchedTrackTest {

  private Vertx vertx;
  private ScriptedServer server;
  private final List<GameEventClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = ScriptedServer.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    for (GameEventClient client : clients) {
      await(client.closeAsync());
    }
    server.close();
  }

  private GameEventClient client(UnaryOperator<GameEventClientConfig> tune) {
    GameEventClient client = new GameEventClient(vertx, tune.apply(fastConfig(server.baseUrl())));
    clients.add(client);
    return client;
  }

  private static List<String> trackAll(GameEventClient client, List<InstallEvent> events) {
    List<String> ids = new ArrayList<>();
    for (InstallEvent event : events) {
      assertThat(client.track(event)).isTrue();
      ids.add(event.eventId());
    }
    return ids;
  }

  private static List<InstallEvent> installs(int count, int paddingChars) {
    List<InstallEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InstallEvent event = InstallEvent.create("player_" + i, "com.game.test", "ios");
      events.add(paddingChars == 0 ? event : event.withProperty("pad", "x".repeat(paddingChars)));
    }
    return events;
  }

  private List<Integer> batchSizes() {
    return server.requests().stream().map(r -> r.events().size()).toList();
  }

  private List<String> sentIds() {
    return server.requests().stream().flatMap(r -> r.events().stream())
        .map(e -> e.getString("event_id")).toList();
  }

  @Test
  void fullBatchesGoAtTheEventThresholdAndFlushSendsTheRest() throws Exception {
    GameEventClient client = client(c -> c.setBatchMaxEvents(3));

    List<String> ids = trackAll(client, installs(7, 0));
    server.awaitRequests(2, Duration.ofSeconds(10));
    // a third, partial batch would be a bug: give it a few pickups to show
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
        .until(() -> batchSizes().equals(List.of(3, 3)));

    await(client.flush());

    assertThat(batchSizes()).containsExactly(3, 3, 1);
    assertThat(sentIds()).isEqualTo(ids);
    assertThat(server.requests()).extracting(ScriptedServer.Recorded::path).containsOnly("/v1/batch");
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 7, 0, 0, 0, 0));
  }

  @Test
  void fullBatchesGoAtTheByteThreshold() throws Exception {
    // each event ~400 bytes with its sent_at: two fit under 1024 bytes, three do not
    GameEventClient client = client(c -> c.setBatchMaxBytes(1024));
    List<InstallEvent> events = installs(5, 200);
    int eventBytes = events.get(0).toJson().encode().length() + EventQueue.PER_EVENT_OVERHEAD_BYTES;
    assertThat(eventBytes).isBetween(340, 500);

    List<String> ids = trackAll(client, events);
    server.awaitRequests(2, Duration.ofSeconds(10));
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
        .until(() -> batchSizes().equals(List.of(2, 2)));
    await(client.flush());

    assertThat(batchSizes()).containsExactly(2, 2, 1);
    assertThat(sentIds()).isEqualTo(ids);
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.body().length()).isLessThanOrEqualTo(1024));
  }

  @Test
  void theTimerFlushesWithoutAnyThreshold() throws Exception {
    GameEventClient client = client(c -> c.setFlushInterval(Duration.ofMillis(200)));

    List<String> ids = trackAll(client, installs(2, 0));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sentIds().size() >= 2);

    assertThat(sentIds()).isEqualTo(ids);
  }

  @Test
  void batchBodyCarriesSentAtAndIsGzippedAboveTheThreshold() throws Exception {
    GameEventClient client = client(c -> c);
    List<InstallEvent> events = installs(20, 0);

    List<String> ids = trackAll(client, events);
    await(client.flush());

    ScriptedServer.Recorded request = server.requests().get(0);
    assertThat(request.body().length()).isGreaterThan(4096);
    assertThat(request.headers().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.headers().get("Authorization")).isEqualTo("Bearer " + ClientTestSupport.API_KEY);
    assertThat(request.json().fieldNames()).containsExactly("events");
    List<JsonObject> sent = request.events();
    assertThat(sent).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    for (int i = 0; i < sent.size(); i++) {
      JsonObject withoutSentAt = sent.get(i).copy();
      assertThat(withoutSentAt.remove("sent_at")).isNotNull();
      assertThat(withoutSentAt).isEqualTo(events.get(i).toJson());
    }
  }

  @Test
  void smallBatchIsNotGzippedAndGzipCanBeTurnedOff() throws Exception {
    GameEventClient small = client(c -> c);
    GameEventClient plain = client(c -> c.setGzipEnabled(false));

    trackAll(small, installs(2, 0));
    await(small.flush());
    trackAll(plain, installs(20, 0));
    await(plain.flush());

    assertThat(server.requests()).extracting(r -> r.headers().get("Content-Encoding")).containsOnlyNulls();
    assertThat(batchSizes()).containsExactly(2, 20);
  }

  @Test
  void retryableBatchFailureIsRetriedWithTheSameEvents() throws Exception {
    GameEventClient client = client(c -> c);
    server.thenReply(503, new JsonObject().put("title", "Service Unavailable").put("status", 503)
        .put("results", new JsonArray().add(new JsonObject().put("index", 0).put("status", "unavailable")))
        .encode(), "Retry-After", "1", "Content-Type", "application/problem+json");

    List<String> ids = trackAll(client, installs(3, 0));
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(0).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 3, 0, 0, 0, 0));
  }

  @Test
  void perEventOutcomesAreCounted() throws Exception {
    GameEventClient client = client(c -> c);
    server.then(request -> {
      List<JsonObject> events = request.events();
      JsonArray results = new JsonArray()
          .add(result(0, events, "accepted"))
          .add(result(1, events, "duplicate"))
          .add(result(2, events, "rejected").put("errors", new JsonArray()
              .add(new JsonObject().put("pointer", "/currency").put("message", "unknown currency"))));
      return new ScriptedServer.Reply(200, java.util.Map.of(), new JsonObject().put("accepted", 1)
          .put("duplicates", 1).put("rejected", 1).put("results", results).encode());
    });

    trackAll(client, installs(3, 0));
    await(client.flush());

    assertThat(client.stats()).isEqualTo(new ClientStats(0, 1, 1, 1, 0, 0));
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void eventsTheServerCouldNotStoreAreSentAgainBeforeFlushCompletes() throws Exception {
    GameEventClient client = client(c -> c);
    server.then(request -> {
      List<JsonObject> events = request.events();
      return new ScriptedServer.Reply(200, java.util.Map.of(), new JsonObject()
          .put("results", new JsonArray().add(result(0, events, "accepted")).add(result(1, events, "unavailable")))
          .encode());
    });

    List<String> ids = trackAll(client, installs(2, 0));
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(ids.get(1));
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 2, 0, 0, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 415})
  void wholeBatchRefusalKeepsTheEventsQueuedAndFlushSaysWhy(int status) throws Exception {
    GameEventClient client = client(c -> c);
    server.thenReply(status, new JsonObject().put("type", "about:blank").put("title", "Refused")
        .put("status", status).put("detail", "the API key was revoked").encode(),
        "Content-Type", "application/problem+json");

    List<String> ids = trackAll(client, installs(4, 0));
    Throwable failure = awaitFailure(client.flush());

    assertThat(failure).isInstanceOf(BatchDeliveryException.class)
        .hasMessageContaining("HTTP " + status).hasMessageContaining("the API key was revoked");
    BatchDeliveryException refused = (BatchDeliveryException) failure;
    assertThat(refused.httpStatus()).isEqualTo(status);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.problem().detail()).isEqualTo("the API key was revoked");
    assertThat(refused.requestId()).isEqualTo(server.requests().get(0).headers().get("X-Request-Id"));
    assertThat(refused).hasMessageEndingWith("[request id " + refused.requestId() + "]");
    assertThat(client.stats()).isEqualTo(new ClientStats(4, 0, 0, 0, 0, 1));
    assertThat(server.requests()).hasSize(1); // refused, so not retried within the batch

    await(client.flush()); // e.g. the key was fixed on the server

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 4, 0, 0, 0, 1));
  }

  @Test
  void afterARefusedBatchFullBatchesWaitForTheBackoffButFlushDoesNot() throws Exception {
    // the pause after a failed drain is min(maxBackoff, flushInterval): 10 s here
    GameEventClient client = client(c -> c.setBatchMaxEvents(2).setMaxBackoff(Duration.ofSeconds(10)));
    server.thenProblem(401, "Unauthorized");

    List<String> ids = trackAll(client, installs(2, 0));
    server.awaitRequests(1, Duration.ofSeconds(10));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().failedBatches() == 1);
    ids.addAll(trackAll(client, installs(4, 0)));
    // a full batch sent without waiting for the backoff would show up within a few pickups
    Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> server.requests().size() == 1);
    assertThat(client.queuedEvents()).isEqualTo(6);

    await(client.flush());

    assertThat(batchSizes()).containsExactly(2, 2, 2, 2);
    assertThat(server.requests().subList(1, 4).stream().flatMap(r -> r.events().stream())
        .map(e -> e.getString("event_id")).toList()).isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 6, 0, 0, 0, 1));
  }

  @Test
  void aBatchTooLargeForTheServerIsSentInHalves() throws Exception {
    GameEventClient client = client(c -> c);
    for (int i = 0; i < 5; i++) { // a server whose body limit fits 2 events
      server.then(request -> request.events().size() > 2
          ? new ScriptedServer.Reply(413, Map.of("Content-Type", "application/problem+json"),
              "{\"title\":\"Payload too large\",\"status\":413}")
          : ScriptedServer.healthyAnswer(request));
    }

    List<String> ids = trackAll(client, installs(5, 0));
    await(client.flush());

    // [5] 413 -> [2] ok, [3] 413 -> [1] ok, [2] ok
    assertThat(batchSizes()).containsExactly(5, 2, 3, 1, 2);
    List<ScriptedServer.Recorded> stored = List.of(server.requests().get(1), server.requests().get(3),
        server.requests().get(4));
    assertThat(stored.stream().flatMap(r -> r.events().stream()).map(e -> e.getString("event_id")).toList())
        .isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 5, 0, 0, 0, 0));
  }

  @Test
  void aSingleEventTooLargeForTheServerIsRejectedAndTheOthersGoThrough() throws Exception {
    GameEventClient client = client(c -> c);
    List<String> ids = trackAll(client, installs(3, 0));
    String tooLarge = ids.get(1);
    for (int i = 0; i < 5; i++) {
      server.then(request -> request.events().stream().anyMatch(e -> e.getString("event_id").equals(tooLarge))
          ? new ScriptedServer.Reply(413, Map.of("Content-Type", "application/problem+json"),
              "{\"title\":\"Payload too large\",\"status\":413}")
          : ScriptedServer.healthyAnswer(request));
    }

    await(client.flush());

    // [a b c] -> [a] ok, [b c] -> 413 -> [b] 413: rejected, [c] ok
    assertThat(batchSizes()).containsExactly(3, 1, 2, 1, 1);
    assertThat(server.requests().get(4).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(ids.get(2));
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 2, 0, 1, 0, 0));
  }

  @Test
  void aRetryAfterBeyondTheBudgetFailsTheFlushAtOnceAndKeepsTheBatch() throws Exception {
    GameEventClient client = client(c -> c);
    server.thenReply(503, "{\"title\":\"Service Unavailable\",\"status\":503}",
        "Retry-After", "999999999999", "Content-Type", "application/problem+json");

    List<String> ids = trackAll(client, installs(3, 0));
    Throwable failure = awaitFailure(client.flush());

    assertThat(failure).isInstanceOf(BatchDeliveryException.class).hasMessageContaining("HTTP 503")
        .hasMessageContaining("retry budget").hasCauseInstanceOf(RetryAfterBeyondBudgetException.class);
    assertThat(((BatchDeliveryException) failure).refused()).isFalse();
    assertThat(client.stats()).isEqualTo(new ClientStats(3, 0, 0, 0, 0, 1));
    await(client.flush());
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
  }

  /** The service's answer over a credential's rate limit: nothing of the batch stored. */
  private void scriptRateLimited(String retryAfter) {
    server.thenReply(429, new JsonObject().put("type", "urn:game-events:problem:rate-limited")
        .put("title", "Rate limit exceeded").put("status", 429)
        .put("detail", "the request has 3 events and credential \"dev\" has 1 left").encode(),
        "Content-Type", "application/problem+json", "Retry-After", retryAfter,
        "RateLimit-Limit", "3", "RateLimit-Remaining", "1", "RateLimit-Reset", "2", "RateLimit", "\"events\";r=1;t=2");
  }

  @Test
  void aRateLimitedBatchIsRetriedAfterRetryAfterWithTheSameEvents() throws Exception {
    GameEventClient client = client(c -> c);
    scriptRateLimited("1");

    List<String> ids = trackAll(client, installs(3, 0));
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 3, 0, 0, 0, 0));
  }

  @Test
  void aRateLimitRetryAfterBeyondTheBudgetFailsTheFlushAtOnceAndKeepsTheBatch() throws Exception {
    GameEventClient client = client(c -> c);
    scriptRateLimited("3600");

    List<String> ids = trackAll(client, installs(3, 0));
    Throwable failure = awaitFailure(client.flush());

    assertThat(failure).isInstanceOf(BatchDeliveryException.class).hasMessageContaining("HTTP 429")
        .hasCauseInstanceOf(RetryAfterBeyondBudgetException.class);
    BatchDeliveryException undelivered = (BatchDeliveryException) failure;
    assertThat(undelivered.refused()).isFalse();
    assertThat(undelivered.retryAfterMillis()).isEqualTo(3_600_000);
    assertThat(undelivered.problem().detail()).isEqualTo("the request has 3 events and credential \"dev\" has 1 left");
    assertThat(client.stats()).isEqualTo(new ClientStats(3, 0, 0, 0, 0, 1));
    await(client.flush());
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
  }

  @Test
  void afterAFailedBatchFullBatchesWaitForTheServersRetryAfterButFlushDoesNot() throws Exception {
    // without the Retry-After the pause would be maxBackoff: 100 ms
    GameEventClient client = client(c -> c.setBatchMaxEvents(2));
    scriptRateLimited("3600");
    List<String> ids = trackAll(client, installs(2, 0));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().failedBatches() == 1);

    // every poll queues one more event, so a full batch is always waiting to go
    Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> {
      ids.addAll(trackAll(client, installs(1, 0)));
      return server.requests().size() == 1;
    });
    await(client.flush());

    assertThat(sentIds().subList(2, sentIds().size())).isEqualTo(ids);
    assertThat(client.stats().accepted()).isEqualTo(ids.size());
  }

  @Test
  void aMalformedBatchAnswered400IsDroppedWithoutRetry() throws Exception {
    GameEventClient client = client(c -> c);
    server.thenProblem(400, "Bad Request");

    trackAll(client, installs(4, 0));
    await(client.flush());

    assertThat(server.requests()).hasSize(1);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 0, 4, 0, 0));
  }

  @Test
  void flushFailsWhenTheBudgetRunsOutAndTheEventsStayQueued() throws Exception {
    GameEventClient client = client(c -> c.setMaxAttempts(2));
    server.thenProblem(503, "Service Unavailable").thenProblem(503, "Service Unavailable");

    List<String> ids = trackAll(client, installs(3, 0));
    Throwable failure = awaitFailure(client.flush());

    assertThat(failure).isInstanceOf(BatchDeliveryException.class);
    assertThat(((BatchDeliveryException) failure).httpStatus()).isEqualTo(503);
    assertThat(client.queuedEvents()).isEqualTo(3);

    await(client.flush());

    assertThat(server.requests()).hasSize(3);
    assertThat(server.requests().get(2).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 3, 0, 0, 0, 1));
  }

  @Test
  void aFullQueueDropsTheNewestEventsAndCountsThem() throws Exception {
    GameEventClient client = client(c -> c.setMaxQueuedEvents(5));
    List<InstallEvent> events = installs(8, 0);

    List<Boolean> queued = events.stream().map(client::track).toList();

    assertThat(queued).containsExactly(true, true, true, true, true, false, false, false);
    assertThat(client.droppedEvents()).isEqualTo(3);
    await(client.flush());
    assertThat(sentIds()).isEqualTo(events.subList(0, 5).stream().map(GameEvent::eventId).toList());
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 5, 0, 0, 3, 0));
  }

  @Test
  void closeFlushesWhatIsQueued() throws Exception {
    GameEventClient client = new GameEventClient(vertx, fastConfig(server.baseUrl()));

    List<String> ids = trackAll(client, installs(2, 0));
    await(client.closeAsync());

    assertThat(sentIds()).isEqualTo(ids);
  }

  @Test
  void flushWithNothingQueuedCompletesWithoutARequest() throws Exception {
    GameEventClient client = client(c -> c);

    await(client.flush());

    assertThat(server.requests()).isEmpty();
  }

  private static JsonObject result(int index, List<JsonObject> events, String status) {
    return new JsonObject().put("index", index).put("event_id", events.get(index).getString("event_id"))
        .put("status", status);
  }
}
