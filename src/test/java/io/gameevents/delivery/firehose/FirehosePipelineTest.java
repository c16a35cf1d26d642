package io.gameevents.delivery.firehose;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.Sinks;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service with delivery.sink = firehose, the real AWS SDK client pointed at the
 * wire-protocol double, driven over HTTP the way clients drive it (retrying 503s).
 */
class FirehosePipelineTest {


  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx vertx;
  private FirehoseDouble firehose;
  private TestService service;

  @BeforeEach
  void startDouble() throws Exception {
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (service != null) {
      service.stop().await(60, SECONDS);
    }
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  private void startService(String stream, long deadlineMs, int maxInFlight) throws Exception {
    startService(stream, deadlineMs, maxInFlight, c -> c);
  }

  private void startService(String stream, long deadlineMs, int maxInFlight, UnaryOperator<JsonObject> tweak) throws Exception {
    Sinks.Factory sinks = FirehoseDouble.sinks();
    service = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("max_batch_events", Math.min(100, maxInFlight));
      c.getJsonObject("delivery").put("sink", "firehose").put("ack", "sink").put("max_in_flight_events", maxInFlight)
          .put("firehose", new JsonObject().put("stream_name", stream).put("endpoint_override", firehose.endpoint())
              .put("delivery_deadline_ms", deadlineMs).put("call_timeout_ms", Math.min(10_000, deadlineMs / 4))
              .put("retry_base_ms", 10).put("retry_max_ms", 200)
              .put("describe_interval_ms", 1000));
      return tweak.apply(c);
    }, sinks).await(60, SECONDS);
  }

  @Test
  void tenThousandEventsThroughPartialFailuresAndThrottlingAreEachStoredOnce() throws Exception {
    startService(FirehoseDouble.STREAM, 10_000, 20_000);
    firehose.recordFailureShare(0.3).throttleShare(0.1).loseAnswerShare(0.02);

    List<List<JsonObject>> batches = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(install(newId()));
      }
      batches.add(batch);
    }
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (List<JsonObject> batch : batches) {
      runs.add(CompletableFuture.runAsync(() -> sendUntilStored(batch, acknowledged), clients));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    clients.shutdown();

    assertThat(acknowledged).hasSize(10_000);
    Map<String, Integer> stored = storedCounts();
    Set<String> lostAnswerIds = new HashSet<>();
    for (FirehoseDouble.Call call : firehose.putRecordBatchCalls()) {
      if (call.answerLost()) {
        call.records().forEach(record -> lostAnswerIds.add(eventId(record)));
      }
    }
    for (String id : acknowledged.keySet()) {
      assertThat(stored.getOrDefault(id, 0)).as("copies of acknowledged event %s", id).isPositive();
      if (stored.get(id) > 1) {
        assertThat(lostAnswerIds).as("event %s stored twice without a lost answer", id).contains(id);
      }
    }
    assertThat(firehose.maxRecordsPerCall()).isLessThanOrEqualTo(500);
    assertThat(firehose.maxBytesPerCall()).isLessThanOrEqualTo(4L * 1024 * 1024);
    assertThat(firehose.putRecordBatchCalls()).anyMatch(call -> call.records().size() > 100); // requests are batched together
  }

  /**
   * 30% of records and 10% of calls failing, then Firehose down altogether for a while, then back:
   * clients retrying their 503s as the SDK does get every event acknowledged, and every
   * acknowledged one is at Firehose, in calls within its limits.
   */
  @Test
  void partialFailuresThenAFullOutageThenRecoveryLoseNoAcknowledgedEvent() throws Exception {
    startService(FirehoseDouble.STREAM, 2_000, 5_000, c -> {
      c.getJsonObject("delivery").put("circuit_breaker", new JsonObject().put("open_after_ms", 500)
          .put("probe_interval_ms", 200));
      return c;
    });
    firehose.recordFailureShare(0.3).throttleShare(0.1);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(install(newId()));
      }
      runs.add(CompletableFuture.runAsync(() -> sendUntilStored(batch, acknowledged), clients));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> acknowledged.size() >= 300);
    firehose.outage(FirehoseDouble.Outage.UNAVAILABLE).await(60, SECONDS);
    org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> firehose.outageCalls() >= 3);
    firehose.outage(FirehoseDouble.Outage.NONE).await(60, SECONDS);
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    clients.shutdown();

    assertThat(acknowledged).hasSize(1_000);
    assertThat(storedCounts().keySet()).containsAll(acknowledged.keySet());
    assertThat(firehose.maxRecordsPerCall()).isLessThanOrEqualTo(FirehoseDouble.MAX_RECORDS);
    assertThat(firehose.maxBytesPerCall()).isLessThanOrEqualTo(FirehoseDouble.MAX_CALL_BYTES);
  }

  @Test
  void aggregatedEventsThroughPartialFailuresAreEachStoredOnceInFewRecords() throws Exception {
    startService(FirehoseDouble.STREAM, 10_000, 5_000, c -> {
      c.getJsonObject("delivery").getJsonObject("firehose").put("aggregate", true);
      return c;
    });
    firehose.recordFailureShare(0.2).throttleShare(0.1);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(install(newId()));
      }
      runs.add(CompletableFuture.runAsync(() -> sendUntilStored(batch, acknowledged), clients));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    clients.shutdown();

    assertThat(acknowledged).hasSize(2_000);
    assertThat(storedCounts()).containsOnlyKeys(acknowledged.keySet()).allSatisfy((id, copies) ->
        assertThat(copies).as("copies of %s", id).isEqualTo(1));
    assertThat(firehose.records()).hasSizeLessThan(200);
    assertThat(firehose.putRecordBatchCalls()).anyMatch(call -> call.error() == null && call.stored().contains(false));
  }

  @Test
  void firehoseDownGives503ThenRecoversWithoutRestart() throws Exception {
    startService(FirehoseDouble.STREAM, 1_000, 200);
    firehose.outage(FirehoseDouble.Outage.UNAVAILABLE).toCompletionStage().toCompletableFuture().get();

    HttpResponse<String> whileDown = post("/v1/events/install", install(newId()));
    assertThat(whileDown.statusCode()).isEqualTo(503);
    assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("1");

    // beyond the in-flight bound, requests are refused at once instead of queueing in memory
    List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      flood.add(postAsync("/v1/batch", batchOf(50)));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : flood) {
      statuses.add(response.get(30, TimeUnit.SECONDS).statusCode());
    }
    assertThat(statuses).containsOnly(503);
    assertThat(flood).anySatisfy(f -> assertThat(f.get().body()).contains("at capacity"));

    firehose.outage(FirehoseDouble.Outage.NONE).toCompletionStage().toCompletableFuture().get();
    JsonObject event = install(newId());
    HttpResponse<String> afterRecovery = post("/v1/events/install", event);
    assertThat(afterRecovery.statusCode()).isEqualTo(200);
    assertThat(storedCounts()).containsEntry(event.getString("event_id"), 1);
  }

  @Test
  void unknownStreamIsNotReadyAnswers503AndCausesNoRetryStorm() throws Exception {
    startService("no-such-stream", 5_000, 1000);
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("no-such-stream").contains("not found");
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = post("/v1/events/install", install(newId()));
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
    assertThat(firehose.putRecordBatchCalls()).hasSizeLessThanOrEqualTo(1);
    assertThat(firehose.records()).isEmpty();
  }

  @Test
  void eventWhoseRecordCannotFitAFirehoseRecordIs413AndNeverSent() throws Exception {
    startService(FirehoseDouble.STREAM, 5_000, 1000, c -> {
      c.getJsonObject("http").put("max_body_bytes", 4 * 1024 * 1024).put("max_event_bytes", 1000 * 1024);
      c.put("validation", new JsonObject().put("max_properties_bytes", 1000 * 1024));
      return c;
    });
    // 700 KB of properties fits the event limit, but the record carries them twice (properties and raw_payload)
    JsonObject event = install(newId()).put("properties", new JsonObject().put("blob", "x".repeat(700_000)));
    HttpResponse<String> single = post("/v1/events/install", event);
    assertThat(single.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(single.body()).getString("detail")).contains("at most 1023999 bytes per record");

    JsonObject small = install(newId());
    HttpResponse<String> batch = post("/v1/batch", new JsonObject().put("events",
        new JsonArray().add(install(newId()).put("properties", event.getJsonObject("properties"))).add(small)));
    assertThat(batch.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(batch.body());
    assertThat(body.getInteger("rejected")).isEqualTo(1);
    assertThat(body.getInteger("accepted")).isEqualTo(1);
    assertThat(storedCounts()).containsOnlyKeys(small.getString("event_id"));
  }

  @Test
  void drainWithBatchesInFlightAcknowledgesOnlyWhatFirehoseHolds() throws Exception {
    startService(FirehoseDouble.STREAM, 10_000, 1000);
    firehose.latencyMs(1500);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonObject event = install(newId());
      ids.add(event.getString("event_id"));
      inFlight.add(postAsync("/v1/events/install", event));
    }
    service.awaitInFlight(20).await(60, SECONDS);
    Future<Void> drained = service.main.drain();
    Map<String, Integer> answered = new HashMap<>();
    for (int i = 0; i < inFlight.size(); i++) {
      answered.put(ids.get(i), inFlight.get(i).get(30, TimeUnit.SECONDS).statusCode());
    }
    drained.await(60, SECONDS);
    Map<String, Integer> stored = storedCounts();
    answered.forEach((id, status) -> {
      assertThat(status).isIn(200, 503);
      if (status == 200) {
        assertThat(stored).containsKey(id);
      }
    });
    assertThat(answered.values()).contains(200); // the batch in flight was delivered, not abandoned
  }

  // ---- a client that retries 503s, as the SDK does ----

  private void sendUntilStored(List<JsonObject> events, Map<String, String> acknowledged) {
    List<JsonObject> pending = events;
    for (int attempt = 0; attempt < 50 && !pending.isEmpty(); attempt++) {
      try {
        HttpResponse<String> response = post("/v1/batch", new JsonObject().put("events", new JsonArray(new ArrayList<>(pending))));
        JsonArray results = new JsonObject(response.body()).getJsonArray("results");
        List<JsonObject> retry = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
          JsonObject result = results.getJsonObject(i);
          String status = result.getString("status");
          if (status.equals("accepted") || status.equals("duplicate")) {
            acknowledged.put(result.getString("event_id"), status);
          } else if (status.equals("unavailable")) {
            retry.add(pending.get(result.getInteger("index")));
          } else {
            throw new AssertionError("unexpected result " + result);
          }
        }
        pending = retry;
        if (!pending.isEmpty()) {
          Thread.sleep(100);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Copies stored per event id; an aggregated record counts for each of its lines. */
  private Map<String, Integer> storedCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (String record : firehose.records()) {
      for (String line : SinkHarness.lines(record)) {
        counts.merge(eventId(line), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static String eventId(String record) {
    return new JsonObject(record.trim()).getString("event_id");
  }

  private static JsonObject batchOf(int size) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < size; i++) {
      events.add(install(newId()));
    }
    return new JsonObject().put("events", events);
  }

  /** With the admin token: the public port shows a probe's details only to it. */
  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String path, JsonObject body) {
    return http.sendAsync(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, JsonObject body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TestService.KEY).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.port + path);
  }
}
