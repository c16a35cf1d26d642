package io.gameevents.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseDouble.Outage;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * delivery.ack = spool with the real Firehose sink (AWS SDK) against the wire-protocol double: a
 * 200 means fsynced to the spool, and the forwarder ships it through outages and faults.
 */
class SpoolPipelineTest {


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

  /**
   * The outage: Firehose answers 503 to everything for 30 s. Every request meanwhile is
   * answered 200 from the local spool, /ready stays 200 while /health/sink shows the outage, and
   * after recovery every acknowledged event reaches Firehose exactly once, in the order it was
   * acknowledged (one client, one forwarding call at a time).
   */
  @Test
  void aThirtySecondOutageIsAbsorbedByTheSpoolAndForwardedInOrderAfterwards() throws Exception {
    startService(c -> c);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS);

    List<String> acknowledged = new ArrayList<>();
    List<Long> latenciesMicros = new ArrayList<>();
    long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < outageEnds) {
      List<JsonObject> events = events(10);
      long sent = System.nanoTime();
      HttpResponse<Buffer> response = io.gameevents.support.Waits.done(service.postJson("/v1/batch", batch(events)));
      latenciesMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      events.forEach(e -> acknowledged.add(e.getString("event_id")));
    }
    JsonObject duringOutage = sinkHealth();
    HttpResponse<Buffer> ready = service.probe("/ready").send().await(60, SECONDS);
    long spooledBytes = spool(duringOutage).getLong("bytes");

    assertThat(ready.statusCode()).as("the node still accepts writes").isEqualTo(200);
    assertThat(duringOutage.getInteger("status")).isEqualTo(503);
    assertThat(duringOutage.getString("detail")).startsWith("node ").contains("ServiceUnavailableException");
    assertThat(spooledBytes).as("the spool holds the outage's events").isPositive();
    assertThat(firehose.records()).isEmpty();

    long recovered = System.nanoTime();
    firehose.outage(Outage.NONE).await(60, SECONDS);
    await().atMost(Duration.ofMinutes(2)).until(() -> firehose.records().size() >= acknowledged.size());
    double drainSeconds = (System.nanoTime() - recovered) / 1e9;
    await().atMost(Duration.ofSeconds(30)).until(() -> spool(sinkHealth()).getLong("bytes") == 0);

    List<String> stored = firehose.records().stream().map(SpoolPipelineTest::eventId).toList();
    assertThat(stored).as("each acknowledged event once, in acknowledgement order").containsExactlyElementsOf(acknowledged);
    assertThat(sinkHealth().getString("status")).isEqualTo("ok");
    Collections.sort(latenciesMicros);
    System.out.printf("SPOOL-OUTAGE requests=%d events=%d latency p50=%.1f ms p99=%.1f ms max=%.1f ms;"
            + " spool after 30 s outage=%d bytes; drained %.1f s after recovery in %d PutRecordBatch calls%n",
        latenciesMicros.size(), acknowledged.size(), percentile(latenciesMicros, 0.50) / 1000.0,
        percentile(latenciesMicros, 0.99) / 1000.0, latenciesMicros.get(latenciesMicros.size() - 1) / 1000.0,
        spooledBytes, drainSeconds, firehose.putRecordBatchCalls().stream().filter(c -> c.error() == null).count());
  }

  /** A full spool refuses new events at once with 503 and Retry-After, keeps what it has, and holds nothing else. */
  @Test
  void aFullSpoolAnswers503WithRetryAfterAndDropsNothing() throws Exception {
    startService(c -> c.put("spool", c.getJsonObject("spool").put("max_bytes", 65_536)));
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS);

    List<String> acknowledged = new ArrayList<>();
    HttpResponse<Buffer> refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      List<JsonObject> events = events(50);
      HttpResponse<Buffer> response = io.gameevents.support.Waits.done(service.postJson("/v1/batch", batch(events)));
      if (response.statusCode() == 200) {
        events.forEach(e -> acknowledged.add(e.getString("event_id")));
      } else {
        refused = response;
      }
    }
    assertThat(refused).as("the spool filled up").isNotNull();
    long spooledWhenFull = spool(sinkHealth()).getLong("bytes");
    List<Integer> later = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      later.add(service.postJson("/v1/batch", batch(events(50))).await(60, SECONDS).statusCode());
    }
    HttpResponse<Buffer> ready = service.probe("/ready").send().await(60, SECONDS);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getString("detail")).isEqualTo("This node's disk buffer is full because the event store is"
        + " not keeping up. The event was not stored; retrying it is safe.");
    assertThat(problem.getJsonArray("results")).allSatisfy(r -> assertThat(((JsonObject) r).getString("status"))
        .isEqualTo("unavailable"));
    assertThat(later).containsOnly(503);
    assertThat(spooledWhenFull).as("bounded: at most one batch past spool.max_bytes")
        .isLessThan(65_536 + 50 * 1024);
    assertThat(spool(sinkHealth()).getLong("bytes")).as("refused requests add nothing").isEqualTo(spooledWhenFull);
    assertThat(service.registry.get("game_events_delivery_in_flight_events").gauge().value()).isZero();
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsJsonObject().getString("detail")).contains("spool full").contains("spool.max_bytes");

    firehose.outage(Outage.NONE).await(60, SECONDS);
    await().atMost(Duration.ofMinutes(1)).until(() -> service.probe("/ready").send().await(60, SECONDS).statusCode() == 200);
    JsonObject afterwards = install(newId());
    assertThat(service.postJson("/v1/events/install", afterwards).await(60, SECONDS).statusCode()).isEqualTo(200);
    acknowledged.add(afterwards.getString("event_id"));
    await().atMost(Duration.ofMinutes(1)).until(() -> storedIds().containsAll(acknowledged));
  }

  /**
   * 30% of records refused and 10% of calls throttled: nothing acknowledged is missing, no call
   * breaks Firehose's limits, and the forwarder's calls are fuller than the direct mode's.
   */
  @Test
  void partialFailuresAndThrottledCallsLoseNothingAndCallsStayWithinTheLimits() throws Exception {
    startService(c -> c);
    firehose.recordFailureShare(0.3).throttleShare(0.1);

    List<String> acknowledged = sendConcurrently(100, 100);
    await().atMost(Duration.ofMinutes(2)).until(() -> storedIds().containsAll(acknowledged));

    assertThat(acknowledged).hasSize(10_000);
    Map<String, Integer> copies = new HashMap<>();
    firehose.records().forEach(r -> copies.merge(eventId(r), 1, Integer::sum));
    assertThat(copies.keySet()).containsAll(acknowledged);
    assertThat(copies.values()).as("no lost answers here, so no copies").containsOnly(1);
    assertThat(firehose.maxRecordsPerCall()).isLessThanOrEqualTo(500);
    assertThat(firehose.maxBytesPerCall()).isLessThanOrEqualTo(4L * 1024 * 1024);
    assertThat(firehose.putRecordBatchCalls()).noneMatch(call -> "InvalidArgumentException".equals(call.error()));
  }

  /**
   * Spool mode through the same faults plus a full outage and its end: acknowledgements go on
   * (the spool holds the events), and after recovery every acknowledged event is forwarded, in
   * calls within Firehose's limits.
   */
  @Test
  void partialFailuresThenAFullOutageThenRecoveryLoseNoAcknowledgedEvent() throws Exception {
    startService(c -> c);
    firehose.recordFailureShare(0.3).throttleShare(0.1);
    CompletableFuture<List<String>> sending = CompletableFuture.supplyAsync(() -> {
      try {
        return sendConcurrently(30, 100);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofMinutes(1)).until(() -> firehose.records().size() >= 500);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS);
    await().atMost(Duration.ofMinutes(1)).until(() -> firehose.outageCalls() >= 5);
    firehose.outage(Outage.NONE).await(60, SECONDS);
    List<String> acknowledged = sending.get(5, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(2)).until(() -> storedIds().containsAll(acknowledged));

    assertThat(acknowledged).hasSize(3_000);
    assertThat(firehose.maxRecordsPerCall()).isLessThanOrEqualTo(FirehoseDouble.MAX_RECORDS);
    assertThat(firehose.maxBytesPerCall()).isLessThanOrEqualTo(FirehoseDouble.MAX_CALL_BYTES);
  }

  /**
   * The same 10,000 events (8 clients, batches of 100) through both modes: the direct mode calls
   * Firehose with whatever piled up while its previous write was in flight; the forwarder reads
   * whole segments, so its calls are full.
   */
  @Test
  void theForwarderMakesFewerFullerCallsThanTheDirectMode() throws Exception {
    startService(c -> c);
    sendConcurrently(100, 100);
    await().atMost(Duration.ofMinutes(1)).until(() -> firehose.records().size() >= 10_000);
    long spooledCalls = firehose.putRecordBatchCalls().size();
    service.stop().await(60, SECONDS);

    firehose.close().await(60, SECONDS);
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    startService(c -> {
      c.getJsonObject("delivery").put("ack", "sink").getJsonObject("firehose").put("max_concurrent_calls", 4);
      return c;
    });
    sendConcurrently(100, 100);
    long directCalls = firehose.putRecordBatchCalls().size();

    System.out.printf("FIREHOSE-CALLS per 10,000 events: spool mode %d (%.0f records per call), sink mode %d"
        + " (%.0f records per call)%n", spooledCalls, 10_000.0 / spooledCalls, directCalls, 10_000.0 / directCalls);
    assertThat(spooledCalls).isLessThan(directCalls);
    assertThat(spooledCalls).as("full calls: 500 records each, but for a segment's last").isLessThanOrEqualTo(40);
  }

  // ---- helpers ----

  private void startService(UnaryOperator<JsonObject> tweak) throws Exception {
    Sinks.Factory sinks = FirehoseDouble.sinks();
    service = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("max_batch_events", 100);
      c.getJsonObject("delivery").put("sink", "firehose")
          .put("firehose", new JsonObject().put("stream_name", FirehoseDouble.STREAM)
              .put("endpoint_override", firehose.endpoint()).put("max_concurrent_calls", 1)
              .put("retry_base_ms", 10).put("retry_max_ms", 500).put("describe_interval_ms", 1000))
          .put("circuit_breaker", new JsonObject().put("open_after_ms", 1000));
      return tweak.apply(c);
    }, sinks).await(60, SECONDS);
  }

  /** Sends batches from 8 client threads, each retrying a batch's 503s, and returns the acknowledged ids. */
  private List<String> sendConcurrently(int batches, int size) throws Exception {
    Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<JsonObject> events = events(size);
      runs.add(CompletableFuture.runAsync(() -> {
        HttpResponse<Buffer> response = io.gameevents.support.Waits.done(service.postJson("/v1/batch", batch(events)));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        events.forEach(e -> acknowledged.put(e.getString("event_id"), true));
      }, clients));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    clients.shutdown();
    return List.copyOf(acknowledged.keySet());
  }

  private JsonObject sinkHealth() throws Exception {
    HttpResponse<Buffer> response = service.probe("/health/sink").send().await(60, SECONDS);
    JsonObject body = response.bodyAsJsonObject();
    return response.statusCode() == 200 ? body.put("status", "ok") : body;
  }

  /** The spool figures of this (single) node, from /health/sink. */
  private static JsonObject spool(JsonObject sinkHealth) {
    JsonObject nodes = sinkHealth.getJsonObject("nodes");
    return nodes.getJsonObject(nodes.fieldNames().iterator().next()).getJsonObject("spool");
  }

  private LinkedHashSet<String> storedIds() {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    firehose.records().forEach(r -> ids.add(eventId(r)));
    return ids;
  }

  private static List<JsonObject> events(int count) {
    List<JsonObject> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(install(newId()));
    }
    return events;
  }

  private static JsonObject batch(List<JsonObject> events) {
    return new JsonObject().put("events", new JsonArray(new ArrayList<>(events)));
  }

  private static String eventId(String record) {
    return new JsonObject(record.trim()).getString("event_id");
  }

  private static long percentile(List<Long> sorted, double share) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
  }
}
