package io.gameevents.cluster;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fat jar as operators run it, several processes on loopback: {@code -cluster} with no JVM
 * flags, kill -9 of a worker under load behind an edge, and kill -9 of a single node. Sizes come
 * from system properties so that bench/cluster-failover.sh runs the same scenario longer.
 */
class ClusterIT {

  private static final int EVENTS = Integer.getInteger("clusterit.events", 1500);
  private static final int LANES = Integer.getInteger("clusterit.lanes", 8);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<JarNode> nodes = new ArrayList<>();

  @AfterEach
  void destroy() {
    nodes.forEach(JarNode::destroy);
  }

  @Test
  void killingAWorkerUnderLoadLosesNoAcknowledgedEvent(@TempDir Path dir) throws Exception {
    loseAWorkerUnderLoad(dir, "kill -9", JarNode::kill);
  }

  /** A hung worker (SIGSTOP) keeps its connections open: Hazelcast notices it only by its missing heartbeats. */
  @Test
  void aHungWorkerIsTakenOverAfterTheFailureDetectionTime(@TempDir Path dir) throws Exception {
    loseAWorkerUnderLoad(dir, "SIGSTOP", JarNode::hang);
  }

  private interface Failure {
    void inflict(JarNode node) throws Exception;
  }

  private void loseAWorkerUnderLoad(Path dir, String how, Failure failure) throws Exception {
    String cluster = "it-" + UUID.randomUUID();
    List<Integer> seeds = List.of(TestService.freeSeedPort(), TestService.freeSeedPort(), TestService.freeSeedPort());
    JarNode w1 = node(JarNode.member(dir.resolve("w1"), cluster, seeds.get(0), seeds, "dedup", "delivery")).start();
    JarNode w2 = node(JarNode.member(dir.resolve("w2"), cluster, seeds.get(1), seeds, "dedup", "delivery")).start();
    JarNode edge = JarNode.member(dir.resolve("edge"), cluster, seeds.get(2), seeds, "http");
    edge.config().getJsonObject("http").put("request_timeout_ms", 5000); // a request stuck on the dead node ends in 5 s
    node(edge).start();
    assertThat(edge.log()).doesNotContain("without proper access to required Java packages");

    Load load = new Load(edge);
    load.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledged.size() >= EVENTS / 3);
    long killedAt = System.nanoTime();
    failure.inflict(w2);
    // /ready turns 503 once the dead node's partitions stop answering, and 200 when w1 owns them all
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> edge.ready() != 200);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> edge.ready() == 200);
    long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    load.finish();

    assertThat(edge.alive()).isTrue();
    assertThat(load.acknowledged).hasSize(EVENTS);
    List<String> stored = new ArrayList<>();
    w1.sinkRecords().forEach(r -> stored.add(r.getString("event_id")));
    w2.sinkRecords().forEach(r -> stored.add(r.getString("event_id")));
    assertThat(stored).as("every acknowledged event is in a sink").containsAll(load.acknowledged.keySet());
    Map<String, Integer> copies = new HashMap<>();
    stored.forEach(id -> copies.merge(id, 1, Integer::sum));
    copies.forEach((id, n) -> {
      if (n > 1) {
        assertThat(load.failedOnce).as("a second copy of %s without a failed attempt", id).contains(id);
      }
    });
    long twice = copies.values().stream().filter(n -> n > 1).count();
    System.out.printf("CLUSTER-FAILOVER how=%s events=%d lanes=%d takeover_ms=%d failed_attempts=%d "
            + "stored_twice=%d slowest_event_ms=%d%n", how.replace(' ', '_'), EVENTS, LANES, takeoverMs,
        load.failedAttempts.get(), twice, TimeUnit.NANOSECONDS.toMillis(load.slowest.get()));
  }

  @Test
  void aKilledSingleNodeRestartsWithItsWindow(@TempDir Path dir) throws Exception {
    JarNode node = node(JarNode.single(dir)).start();
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(TestService.install(TestService.newId()));
    }
    for (JsonObject event : events) {
      assertThat(send(node, event).body()).contains("\"accepted\"");
    }
    // the journal is fsynced every dedup.journal_flush_ms: once all 20 ids are on disk, kill -9 loses none
    await().atMost(Duration.ofSeconds(10)).until(() -> journalBytes(dir.resolve("dedup")) == 20 * 16);
    node.kill();
    node.start();
    for (JsonObject event : events) {
      assertThat(send(node, event).body()).contains("\"duplicate\"");
    }
    assertThat(node.sinkRecords()).hasSize(20);
  }

  @Test
  void aBadClusterConfigFailsStartWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    JarNode node = JarNode.member(dir, "it-" + UUID.randomUUID(), TestService.freePort(), List.of(), "edge");
    assertThat(node.startAndExit(Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(node.log().trim())
        .isEqualTo("game-events: config key 'cluster.roles' has unknown role 'edge': use http, dedup, delivery or forward");
  }

  private JarNode node(JarNode node) {
    nodes.add(node);
    return node;
  }

  private HttpResponse<String> send(JarNode node, JsonObject event) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(node.post(event, Duration.ofSeconds(20)), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private static long journalBytes(Path dedup) throws IOException {
    try (var files = java.nio.file.Files.walk(dedup)) {
      return files.filter(p -> p.toString().endsWith(".ids")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** LANES clients sending EVENTS single events through the edge, each retrying an event until it is stored. */
  private final class Load {
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    final AtomicInteger failedAttempts = new AtomicInteger();
    /** The longest an event took from its first attempt to its acknowledgement, in ns. */
    final AtomicLong slowest = new AtomicLong();
    private final JarNode edge;
    private final ExecutorService lanes = Executors.newFixedThreadPool(LANES);
    private final List<Future<?>> running = new ArrayList<>();

    Load(JarNode edge) {
      this.edge = edge;
    }

    void start() {
      AtomicInteger next = new AtomicInteger();
      for (int lane = 0; lane < LANES; lane++) {
        running.add(lanes.submit(() -> {
          while (next.getAndIncrement() < EVENTS) {
            deliver(TestService.install(TestService.newId()));
          }
          return null;
        }));
      }
    }

    void finish() throws Exception {
      for (Future<?> lane : running) {
        lane.get(120, TimeUnit.SECONDS);
      }
      lanes.shutdown();
    }

    /**
     * What a game client does: send, and on 503 or a timeout send the same event again after its
     * back-off (100 ms here: Retry-After is 1 s, a game client would wait that).
     */
    private void deliver(JsonObject event) {
      String id = event.getString("event_id");
      long started = System.nanoTime();
      await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
          .pollInSameThread().alias("event " + id + " stored").until(() -> {
            if (sendOnce(event)) {
              slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
              return true;
            }
            failedOnce.add(id);
            failedAttempts.incrementAndGet();
            return false;
          });
    }

    /** One attempt: true when the edge answered 200 (stored), false for a 503 or a timeout. */
    private boolean sendOnce(JsonObject event) throws InterruptedException {
      try {
        HttpResponse<String> response = http.send(edge.post(event, Duration.ofSeconds(10)),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          acknowledged.put(event.getString("event_id"), new JsonObject(response.body()).getString("status"));
          return true;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      } catch (IOException timeoutOrReset) {
        // the client gave up on this attempt: as far as it knows, nothing was stored
      }
      return false;
    }
  }
}
