package io.gameevents.suppression;

import io.gameevents.privacy.Subject;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The suppression list across a cluster: a request to one node suppresses on another's edge; a rogue entry does not. */
class SuppressionClusterTest {

  private final String cluster = "test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = List.of(TestService.freeSeedPort(), TestService.freeSeedPort());
  private final List<TestService> nodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (TestService node : nodes) {
      node.stop().otherwiseEmpty().await(60, SECONDS);
    }
  }

  private TestService node(int index) throws Exception {
    TestService node = TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts, c -> c)
        .await(120, SECONDS);
    nodes.add(node);
    return node;
  }

  private static int ownedPartitions(TestService node) throws Exception {
    return node.vertx.eventBus().<JsonObject>request(io.gameevents.pipeline.Pipeline.DEDUP_HEALTH, null)
        .await(60, SECONDS).body().getInteger("owned_partitions");
  }

  /** A node's lasting name, which erasure reports use (its Hazelcast id is new at each start). */
  private static String nodeName(TestService node) throws Exception {
    return java.nio.file.Files.readString(node.dataDir.resolve("privacy").resolve("node-name")).strip();
  }

  private static String statusOf(TestService node, String player) throws Exception {
    HttpResponse<Buffer> answer = node.postJson("/v1/events", install(newId()).put("player_id", player))
        .await(60, SECONDS);
    JsonObject body = answer.bodyAsJsonObject();
    return answer.statusCode() + " " + body.getString("status") + (body.getBoolean("suppressed", false) ? " suppressed" : "");
  }

  @Test
  void aRequestToOneNodeSuppressesOnTheOtherWithinSecondsAndARogueEntryIsIgnored() throws Exception {
    TestService a = node(0);
    TestService b = node(1);
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> statusOf(b, "warm-up").startsWith("200 accepted"));

    HttpResponse<Buffer> accepted = a.client.post("/v1/privacy/requests")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("type", "suppress").put("app_id", TestService.APP)
            .put("player_id", "player_1")).await(60, SECONDS);
    assertThat(accepted.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> statusOf(b, "player_1").equals("200 duplicate suppressed"));

    // a member without cluster.secret's proof writes an entry for another player, with the right digest even
    SubjectDigest digests = new SubjectDigest(SuppressionKey.derive(b.main.appConfig().cluster().secret()));
    SuppressionEntry rogue = new SuppressionEntry(TestService.APP, Subject.Kind.PLAYER,
        digests.of(new Subject(TestService.APP, Subject.Kind.PLAYER, "victim")), true, System.currentTimeMillis(),
        "rogue-1");
    String unsigned = rogue.toJson().put("proof", "AAAAAAAAAAAAAAAAAAAAAA").encode();
    b.vertx.sharedData().<String, String>getAsyncMap(SuppressionReplication.MAP)
        .compose(map -> map.put(rogue.digest().hex(), unsigned)).await(60, SECONDS);
    b.vertx.eventBus().publish(SuppressionReplication.ADDRESS, unsigned);
    b.vertx.eventBus().publish(SuppressionReplication.ADDRESS, rogue.toJson().encode());

    // the signed way of the same message still travels: a later request for player_2 arrives, the rogue one never did
    a.client.post("/v1/privacy/requests").putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("type", "suppress").put("app_id", TestService.APP)
            .put("player_id", "player_2")).await(60, SECONDS);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> statusOf(b, "player_2").equals("200 duplicate suppressed"));
    assertThat(statusOf(a, "victim")).isEqualTo("200 accepted");
    assertThat(statusOf(b, "victim")).isEqualTo("200 accepted");
    assertThat(b.registry.get("game_events_cluster_unproven_entries").tag("kind", "suppression").counter().count())
        .isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void anEraseSentToOneNodeIsReportedDoneByEveryNode() throws Exception {
    TestService a = node(0);
    TestService b = node(1);
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> statusOf(b, "warm-up").startsWith("200 accepted"));
    // both nodes see each other: the partitions are spread
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ownedPartitions(a) < 64 && ownedPartitions(b) < 64
        && ownedPartitions(a) + ownedPartitions(b) == 64);

    HttpResponse<Buffer> accepted = a.client.post("/v1/privacy/requests")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("type", "erase").put("app_id", TestService.APP)
            .put("player_id", "player_3").put("request_id", "erase-both")).await(60, SECONDS);
    assertThat(accepted.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "completed".equals(a.client
        .get("/v1/privacy/requests/erase-both").putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .send().await(60, SECONDS).bodyAsJsonObject().getString("state")));
    JsonObject report = a.client.get("/v1/privacy/requests/erase-both")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS).bodyAsJsonObject();
    assertThat(report.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("node")))
        .containsExactlyInAnyOrder(nodeName(a), nodeName(b));
    assertThat(report.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("state")))
        .containsOnly("done");
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> statusOf(b, "player_3").equals("200 duplicate suppressed"));
  }
}
