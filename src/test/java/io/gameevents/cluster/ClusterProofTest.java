package io.gameevents.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterSecret;
import io.gameevents.config.HashKey;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.ownership.OwnerEntry;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What members read from Hazelcast counts only with the proof of {@code cluster.secret}. Hazelcast lets a stranger
 * with the cluster's name join and write (open source has no member authentication); here it tries to take a
 * partition, evict a member and pass itself off as a dedup node, and a member configured with another secret tries
 * to join.
 */
class ClusterProofTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** How long nothing may change after a rogue's write was seen, for "it had no effect". */
  private static final Duration STAYS = Duration.ofSeconds(3);
  private static final ClusterKey KEY = ClusterKey.derive(ClusterSecret.of(TestService.CLUSTER_SECRET));
  private static final ClusterKey ROGUE_KEY = ClusterKey.derive(ClusterSecret.of("a-rogue-guess-at-the-secret-0123456789"));

  private final String cluster = "proof-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = List.of(TestService.freeSeedPort(), TestService.freeSeedPort(),
      TestService.freeSeedPort());
  private final List<TestService> nodes = new ArrayList<>();
  private HazelcastInstance rogueMember;
  private Vertx rogueVertx;

  @AfterEach
  void stop() throws Exception {
    if (rogueMember != null) {
      rogueMember.shutdown();
    }
    if (rogueVertx != null) {
      CompletableFuture.supplyAsync(() -> rogueVertx.close().toCompletionStage()).thenCompose(closed -> closed)
          .get(60, TimeUnit.SECONDS);
    }
    for (TestService node : nodes) {
      ClusterTest.get(node.stop().otherwiseEmpty());
    }
  }

  /**
   * A plain Hazelcast member writes the owner entry of an event's partition (naming itself, with a proof under a
   * guessed secret) and a released entry for another: the owner keeps both partitions, writes its entry back, and
   * the event is stored by it.
   */
  @Test
  void aRogueOwnerEntryTakesNoPartition() throws Exception {
    TestService a = node(0, TestService.CLUSTER_SECRET);
    awaitOwned(a, 64);
    rogueMember = Hazelcast.newHazelcastInstance(hazelcast(2));
    String rogueNode = rogueMember.getCluster().getLocalMember().getUuid().toString();
    await().atMost(WAIT).until(() -> ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
        ((VertxInternal) a.vertx).clusterManager()).getHazelcastInstance().getCluster().getMembers().stream()
        .anyMatch(member -> member.getUuid().toString().equals(rogueNode)));

    JsonObject event = install(newId());
    int partition = partitionOf(event);
    int other = (partition + 1) % 64;
    IMap<Integer, Object> owners = rogueMember.getMap(Pipeline.DEDUP_OWNERS);
    owners.put(partition, OwnerEntry.owns(rogueNode + "#0").format(partition, ROGUE_KEY));
    owners.put(other, OwnerEntry.released(ownerName(a), "rogue-token").format(other, ROGUE_KEY));

    await().atMost(WAIT).until(() -> unproven(a, "owner") >= 2);
    await().atMost(WAIT).until(() -> servedBy(owners.get(partition), partition, ownerName(a))
        && servedBy(owners.get(other), other, ownerName(a)));
    assertThat(ownedPartitions(a)).isEqualTo(64);
    assertThat(status(a, event)).isEqualTo("accepted");
    assertThat(a.sinkRecords()).extracting(r -> r.getString("event_id")).containsExactly(event.getString("event_id"));
    assertThat(counter(a, "game_events_dedup_takeovers")).as("no partition moved").isZero();
  }

  /**
   * Leaving notices for a real node: the bare node id (the format before proofs), one proven under a guessed
   * secret, and one proven under the cluster's secret for an earlier run of that node (a replay): the node stays a
   * member and keeps its partitions.
   */
  @Test
  void aRogueLeavingNoticeEvictsNoMember() throws Exception {
    TestService a = node(0, TestService.CLUSTER_SECRET);
    TestService b = node(1, TestService.CLUSTER_SECRET);
    awaitOwned(a, 32);
    awaitOwned(b, 32);
    String victim = ((VertxInternal) b.vertx).clusterManager().getNodeId();
    rogueVertx = rogueVertx(null);

    rogueVertx.eventBus().publish(Pipeline.CLUSTER_LEAVING, victim);
    rogueVertx.eventBus().publish(Pipeline.CLUSTER_LEAVING, NodeProof.leavingNotice(ROGUE_KEY, victim,
        startToken(b)));
    rogueVertx.eventBus().publish(Pipeline.CLUSTER_LEAVING, NodeProof.leavingNotice(KEY, victim,
        UUID.randomUUID().toString()));

    // the notices with a proof arrive after the bare one: once they were counted, all three were handled
    await().atMost(WAIT).until(() -> unproven(a, "leaving") >= 2 && unproven(b, "leaving") >= 2);
    await().during(STAYS).atMost(WAIT).until(() -> ownedPartitions(a) == 32 && ownedPartitions(b) == 32);
    assertThat(unproven(a, "leaving")).isEqualTo(3);
    assertThat(unproven(b, "leaving")).isEqualTo(3);
    assertThat(status(b, install(newId()))).isEqualTo("accepted");
  }

  /**
   * A clustered Vert.x whose metadata is a member's, proof and all, copied: it claims the dedup and delivery roles
   * with the member's settings. The proof names the member's node id, not the rogue's: it gets no partition and the
   * member keeps all of them.
   */
  @Test
  void aRogueClaimingTheDedupRoleGetsNoPartition() throws Exception {
    TestService a = node(0, TestService.CLUSTER_SECRET);
    awaitOwned(a, 64);
    JsonObject copied = ((VertxInternal) a.vertx).clusterManager().getNodeInfo().metadata().copy();
    assertThat(NodeRoles.fromJson(copied).dedup()).isTrue();
    rogueVertx = rogueVertx(copied);

    // the member's view reads a new member's metadata within a second, and rebalances at once
    await().during(STAYS).atMost(WAIT).until(() -> ownedPartitions(a) == 64);
    assertThat(unproven(a, "node")).isEqualTo(1);
    JsonObject event = install(newId());
    assertThat(status(a, event)).isEqualTo("accepted");
    assertThat(a.sinkRecords()).extracting(r -> r.getString("event_id")).containsExactly(event.getString("event_id"));
  }

  /** Decided: refused at start, naming the key (never either secret), like another dedup.hash_key. */
  @Test
  void aMemberWithAnotherSecretRefusesToStart() throws Exception {
    TestService a = node(0, TestService.CLUSTER_SECRET);
    awaitOwned(a, 64);
    String otherSecret = "another-secret-for-this-cluster-0123456789";
    assertThatThrownBy(() -> node(1, otherSecret))
        .hasMessageContaining("config key 'cluster.secret' differs from cluster member "
            + ((VertxInternal) a.vertx).clusterManager().getNodeId())
        .message().doesNotContain(otherSecret).doesNotContain(TestService.CLUSTER_SECRET);
    assertThat(ownedPartitions(a)).isEqualTo(64);
    assertThat(status(a, install(newId()))).isEqualTo("accepted");
  }

  // --- helpers ---

  private TestService node(int index, String secret) throws Exception {
    TestService node = ClusterTest.get(TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts,
        c -> {
          c.getJsonObject("cluster").put("secret", secret);
          return c;
        }));
    nodes.add(node);
    return node;
  }

  private AppConfig rogueConfig(int index) throws Exception {
    JsonArray members = new JsonArray();
    hazelcastPorts.forEach(p -> members.add("127.0.0.1:" + p));
    return AppConfig.from(TestService.config(java.nio.file.Files.createTempDirectory("rogue"), 0)
        .put("cluster", new JsonObject().put("name", cluster).put("host", "127.0.0.1")
            .put("port", hazelcastPorts.get(index)).put("members", members)));
  }

  private Config hazelcast(int index) throws Exception {
    Config hz = ClusterSetup.hazelcast(rogueConfig(index).cluster());
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    return hz;
  }

  /** A clustered Vert.x of the rogue's making: the cluster's name and seeds, no secret, {@code metadata} as given. */
  private Vertx rogueVertx(JsonObject metadata) throws Exception {
    AppConfig app = rogueConfig(2);
    EventBusOptions eventBus = new EventBusOptions().setHost("127.0.0.1").setClusterNodeMetadata(metadata);
    Vertx vertx = ClusterTest.get(Vertx.builder().with(new VertxOptions().setEventBusOptions(eventBus))
        .withClusterManager(ClusterSetup.clusterManager(app)).buildClustered());
    String self = ((VertxInternal) vertx).clusterManager().getNodeId();
    await().atMost(WAIT).until(() -> nodes.stream().allMatch(node -> clusterNodes(node).contains(self)));
    return vertx;
  }

  private static List<String> clusterNodes(TestService node) {
    return ((VertxInternal) node.vertx).clusterManager().getNodes();
  }

  private static String ownerName(TestService node) {
    return ((VertxInternal) node.vertx).clusterManager().getNodeId() + "#0";
  }

  private static String startToken(TestService node) {
    return ((VertxInternal) node.vertx).clusterManager().getNodeInfo().metadata().getString("start_token");
  }

  private static boolean servedBy(Object stored, int partition, String owner) {
    OwnerEntry entry = OwnerEntry.parse(partition, stored, KEY);
    return entry != null && entry.servedBy(owner);
  }

  private static int partitionOf(JsonObject event) {
    return new DedupHasher(new HashKey(HexFormat.of().parseHex(TestService.CLUSTER_HASH_KEY)))
        .key(TestService.APP, event.getString("event_id")).partition(64);
  }

  private static void awaitOwned(TestService node, int partitions) {
    await().atMost(WAIT).until(() -> ownedPartitions(node) == partitions
        && ClusterTest.get(node.probe("/ready").send()).statusCode() == 200);
  }

  private static int ownedPartitions(TestService node) throws Exception {
    return ClusterTest.get(node.vertx.eventBus().<JsonObject>request(Pipeline.DEDUP_HEALTH, null)).body()
        .getInteger("owned_partitions");
  }

  private static double unproven(TestService node, String kind) {
    return node.registry.get("game_events_cluster_unproven_entries").tags("kind", kind).counter().count();
  }

  private static double counter(TestService node, String name) {
    return node.registry.get(name).counter().count();
  }

  private static String status(TestService node, JsonObject event) throws Exception {
    HttpResponse<Buffer> response = ClusterTest.get(node.postJson("/v1/events/install", event));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("status");
  }
}
