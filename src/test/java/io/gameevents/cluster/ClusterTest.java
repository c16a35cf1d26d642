package io.gameevents.cluster;

import io.gameevents.pipeline.Pipeline;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real clustered Vert.x nodes in this JVM, on loopback with TCP/IP discovery: dedup partitions
 * owned once cluster-wide, stages placed by role, handovers that keep the window.
 */
class ClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String cluster = "test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = List.of(TestService.freeSeedPort(), TestService.freeSeedPort(),
      TestService.freeSeedPort());
  private final List<TestService> nodes = new CopyOnWriteArrayList<>();
  /**
   * Nodes started with the test CA's member certificates (event bus over TLS with client certificates).
   * {@code -Dgame-events.test.cluster-tls=true} runs every test here that way.
   */
  private boolean tls = Boolean.getBoolean("game-events.test.cluster-tls");

  @AfterEach
  void stopNodes() throws Exception {
    for (TestService node : nodes) {
      get(node.stop().otherwiseEmpty());
    }
  }

  @Test
  void aDuplicateSentToAnotherNodeIsStoredOnce() throws Exception {
    TestService a = node(0, c -> c);
    TestService b = node(1, c -> c);
    awaitSpread(a, b);

    List<JsonObject> events = events(40);
    assertThat(statuses(a, events)).containsOnly("accepted");
    assertThat(statuses(b, events)).containsOnly("duplicate");

    assertThat(storedIds(a, b)).containsExactlyInAnyOrderElementsOf(ids(events));
  }

  @Test
  void aDuplicateSentToAnotherNodeIsStoredOnceOverTls() throws Exception {
    tls = true;
    aDuplicateSentToAnotherNodeIsStoredOnce();
  }

  @Test
  void anEdgeAndAWorkerDeliverEndToEnd() throws Exception {
    TestService worker = node(0, roles("dedup", "delivery"));
    TestService edge = node(1, roles("http"));
    awaitReady(edge);

    List<JsonObject> events = events(30);
    assertThat(statuses(edge, events)).containsOnly("accepted");
    assertThat(statuses(edge, events)).containsOnly("duplicate");

    assertThat(ids(worker.sinkRecords())).containsExactlyInAnyOrderElementsOf(ids(events));
    assertThat(edge.sinkRecords()).isEmpty();
    assertThat(ownedPartitions(worker)).isEqualTo(64);
    HttpResponse<Buffer> atWorker = get(worker.postJson("/v1/events/install", events.get(0)));
    assertThat(atWorker.statusCode()).isEqualTo(404);
    assertThat(atWorker.bodyAsJsonObject().getString("type")).isEqualTo("urn:game-events:problem:not-an-edge");
    assertThat(get(worker.probe("/ready").send()).statusCode()).isEqualTo(200);

    // the edge keeps what it refuses for its content on its own disk; the worker refuses nothing, keeps nothing
    JsonObject invalid = install(newId()).put("platform", "toaster");
    HttpResponse<Buffer> refused = get(edge.postJson("/v1/events/install", invalid));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getBoolean("kept")).isTrue();
    assertThat(edge.refusedRecords()).extracting(r -> r.getString("event_id"))
        .containsExactly(invalid.getString("event_id"));
    assertThat(worker.dataDir.resolve("refused")).doesNotExist();
    assertThat(worker.dataDir.resolve("refused.lock")).doesNotExist();
    // replay goes through an edge's ingest path: the edge serves it (the record is still invalid there), the
    // worker has no such endpoint
    Buffer records = new JsonObject().put("records", new JsonArray().add(edge.refusedRecords().get(0))).toBuffer();
    HttpResponse<Buffer> atEdge = get(edge.post("/v1/admin/replay", TestService.ADMIN_TOKEN).sendBuffer(records));
    assertThat(atEdge.statusCode()).as(atEdge.bodyAsString()).isEqualTo(200);
    assertThat(atEdge.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("type"))
        .isEqualTo("invalid-event");
    assertThat(edge.refusedRecords()).hasSize(1);
    assertThat(get(worker.post("/v1/admin/replay", TestService.ADMIN_TOKEN).sendBuffer(records)).statusCode())
        .isEqualTo(404);
  }

  /**
   * Settings every member must share (SharedSettingsTest has the wire limits): each refusal names its config key;
   * the dedup key itself is never shown.
   */
  @Test
  void aMemberWithAnotherPartitionCountOrDedupKeyIsRefused() throws Exception {
    TestService a = node(0, partitions(16));
    assertThatThrownBy(() -> node(1, partitions(32)))
        .hasMessageContaining("config key 'dedup.partitions' is 32 on this node but 16 on cluster member");
    String otherKey = "00112233445566778899aabbccddeeff";
    assertThatThrownBy(() -> node(2, partitions(16).andThen(c -> {
      c.getJsonObject("dedup").put("hash_key", otherKey);
      return c;
    })::apply)).hasMessageContaining("config key 'dedup.hash_key' differs from cluster member")
        .message().doesNotContain(otherKey).doesNotContain(TestService.CLUSTER_HASH_KEY);
    awaitReady(a);
    assertThat(statuses(a, events(5))).containsOnly("accepted");
    assertThat(ownedPartitions(a)).isEqualTo(16);
  }

  @Test
  void aJoiningNodeTakesItsShareWithTheIds() throws Exception {
    TestService a = node(0, c -> c);
    awaitReady(a);
    List<JsonObject> events = events(60);
    assertThat(statuses(a, events)).containsOnly("accepted");

    TestService b = node(1, c -> c);
    awaitSpread(a, b);
    assertThat(statuses(b, events)).as("ids of the partitions that moved came with them").containsOnly("duplicate");
    assertThat(counter(b, "game_events_dedup_handovers")).isEqualTo(32);
    assertThat(storedIds(a, b)).containsExactlyInAnyOrderElementsOf(ids(events));
  }

  /**
   * SIGTERM's path (MainVerticle.drain): requests already taken are answered, and only then is
   * each partition handed over, with its ids; a retry through the other node is then answered
   * as if nothing had moved.
   */
  @Test
  void aDrainingNodeHandsItsPartitionsOverAfterAnsweringItsRequests() throws Exception {
    UnaryOperator<JsonObject> slowBatches = c -> { // events wait in the batchers while b drains
      c.getJsonObject("delivery").put("linger_ms", 1500);
      return c.put("shutdown_timeout_ms", 20_000); // the default: time for the handover
    };
    TestService a = node(0, slowBatches);
    TestService b = node(1, slowBatches);
    awaitSpread(a, b);
    List<JsonObject> stored = events(20);
    assertThat(statuses(b, stored)).containsOnly("accepted");
    List<JsonObject> taken = events(20);
    List<Future<HttpResponse<Buffer>>> inFlight = taken.stream()
        .map(event -> b.postJson("/v1/events/install", event)).toList();
    await().atMost(WAIT).until(() -> inFlightIds(a) + inFlightIds(b) == taken.size());

    get(b.main.drain());
    for (Future<HttpResponse<Buffer>> answer : inFlight) {
      assertThat(get(answer).statusCode()).isEqualTo(200);
    }
    await().atMost(WAIT).until(() -> ownedPartitions(a) == 64);
    assertThat(statuses(a, stored)).containsOnly("duplicate");
    assertThat(statuses(a, taken)).containsOnly("duplicate");
    assertThat(counter(a, "game_events_dedup_restored_ids", "source", "handover")).isGreaterThan(0);
    List<JsonObject> all = new ArrayList<>(stored);
    all.addAll(taken);
    assertThat(storedIds(a, b)).containsExactlyInAnyOrderElementsOf(ids(all));
  }

  /**
   * Copies of the same ids hammered through two HTTP nodes while a third node joins and the second
   * drains, so partitions move both ways under load. Whatever moment a copy arrives, at most one
   * owner accepts an id: never two "accepted" answers, never two stored records. Copies refused
   * meanwhile (503) are retried until every id is stored.
   */
  @Test
  void noIdIsAcceptedTwiceWhilePartitionsMove() throws Exception {
    TestService a = node(0, c -> c);
    TestService b = node(1, c -> c);
    awaitSpread(a, b);
    List<JsonObject> events = events(300);
    Map<String, Integer> accepted = new java.util.concurrent.ConcurrentHashMap<>();

    Future<Void> load = sendConcurrently(List.of(a, b), events, accepted);
    TestService c = node(2, conf -> conf);
    get(b.stop());
    nodes.remove(b);
    get(load);
    List<JsonObject> unanswered = events.stream().filter(e -> !accepted.containsKey(e.getString("event_id"))).toList();
    await().atMost(WAIT).until(() -> ownedPartitions(a) + ownedPartitions(c) == 64);
    for (JsonObject event : unanswered) { // retries of what was refused during the moves
      assertThat(statuses(a, List.of(event))).containsAnyOf("accepted", "duplicate");
    }

    assertThat(accepted.values()).allMatch(count -> count == 1);
    assertThat(storedIds(a, b, c)).containsExactlyInAnyOrderElementsOf(ids(events));
  }

  // --- helpers ---

  private TestService node(int index, UnaryOperator<JsonObject> tweak) throws Exception {
    UnaryOperator<JsonObject> secured = tls ? c -> tweak.apply(TestService.tlsMember("member" + (index % 2 + 1)).apply(c))
        : tweak;
    TestService node = get(TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts, secured));
    nodes.add(node);
    return node;
  }

  private static UnaryOperator<JsonObject> roles(String... roles) {
    return c -> {
      c.getJsonObject("cluster").put("roles", new JsonArray(List.of((Object[]) roles)));
      return c;
    };
  }

  private static UnaryOperator<JsonObject> partitions(int partitions) {
    return c -> {
      c.getJsonObject("dedup").put("partitions", partitions);
      return c;
    };
  }

  private static List<JsonObject> events(int count) {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(install(newId()));
    }
    return events;
  }

  private static List<String> ids(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("event_id")).toList();
  }

  private static List<String> storedIds(TestService... nodes) {
    List<String> ids = new ArrayList<>();
    for (TestService node : nodes) {
      ids.addAll(ids(node.sinkRecords()));
    }
    return ids;
  }

  /** Posts the events one by one; returns each answer's status, failing on anything but 200. */
  /** Each event's status, all sent at once: a node whose batches linger answers them in one linger, not one each. */
  private static List<String> statuses(TestService node, List<JsonObject> events) throws Exception {
    List<Future<HttpResponse<Buffer>>> answers = events.stream()
        .map(event -> node.postJson("/v1/events/install", event)).toList();
    List<String> statuses = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> answer : answers) {
      HttpResponse<Buffer> response = get(answer);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      statuses.add(response.bodyAsJsonObject().getString("status"));
    }
    return statuses;
  }

  /** Every event twice through each node, 16 requests at a time; counts the "accepted" answers per id. */
  private static Future<Void> sendConcurrently(List<TestService> via, List<JsonObject> events,
                                               Map<String, Integer> accepted) {
    List<Function<Void, Future<Void>>> sends = new ArrayList<>();
    for (JsonObject event : events) {
      for (int copy = 0; copy < 2 * via.size(); copy++) {
        TestService node = via.get(copy % via.size());
        // composed, so that a request through a node that was stopped meanwhile fails instead of throwing
        sends.add(v -> Future.succeededFuture().compose(x -> node.postJson("/v1/events/install", event)).map(response -> {
          if (response.statusCode() == 200 && "accepted".equals(response.bodyAsJsonObject().getString("status"))) {
            accepted.merge(event.getString("event_id"), 1, Integer::sum);
          }
          return (Void) null;
        }).otherwiseEmpty());
      }
    }
    java.util.Collections.shuffle(sends, new java.util.Random(7));
    List<Future<Void>> lanes = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    for (int lane = 0; lane < 16; lane++) {
      lanes.add(lane(sends, next));
    }
    return Future.all(lanes).mapEmpty();
  }

  private static Future<Void> lane(List<Function<Void, Future<Void>>> sends, java.util.concurrent.atomic.AtomicInteger next) {
    int i = next.getAndIncrement();
    return i >= sends.size() ? Future.succeededFuture() : sends.get(i).apply(null).compose(v -> lane(sends, next));
  }

  private static void awaitReady(TestService node) {
    await().atMost(WAIT).until(() -> get(node.probe("/ready").send()).statusCode() == 200);
  }

  private static void awaitSpread(TestService a, TestService b) {
    await().atMost(WAIT).until(() -> ownedPartitions(a) == 32 && ownedPartitions(b) == 32);
    awaitReady(a);
    awaitReady(b);
  }

  private static int inFlightIds(TestService node) throws Exception {
    return get(node.vertx.eventBus().<JsonObject>request(Pipeline.DEDUP_HEALTH, null)).body().getInteger("in_flight_ids");
  }

  private static int ownedPartitions(TestService node) throws Exception {
    JsonObject health = get(node.vertx.eventBus().<JsonObject>request(Pipeline.DEDUP_HEALTH, null)).body();
    return health.getInteger("owned_partitions");
  }

  private static double counter(TestService node, String name, String... tags) {
    return node.registry.get(name).tags(tags).counter().count();
  }

  static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
