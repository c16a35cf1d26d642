package io.gameevents.privacyrequests;

import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An erasure reaches a node that was down when it was sent, and survives a restart of the node that took it. */
class ErasureRejoinTest {

  private final String cluster = "test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = List.of(TestService.freeSeedPort(), TestService.freeSeedPort());
  private final List<TestService> nodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (TestService node : nodes) {
      node.stop().otherwiseEmpty().await(60, SECONDS);
    }
  }

  private TestService node(int index, Path dir) throws Exception {
    TestService node = (dir == null
        ? TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts, c -> c)
        : TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts, dir, c -> c))
        .await(120, SECONDS);
    nodes.add(node);
    return node;
  }

  private void stop(TestService node) throws Exception {
    nodes.remove(node);
    node.stop().otherwiseEmpty().await(60, SECONDS);
  }

  private static String name(TestService node) throws Exception {
    return Files.readString(node.dataDir.resolve("privacy").resolve("node-name"), StandardCharsets.UTF_8).strip();
  }

  private static JsonObject report(TestService node, String id) throws Exception {
    HttpResponse<Buffer> answer = node.client.get("/v1/privacy/requests/" + id)
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS);
    return answer.statusCode() == 200 ? answer.bodyAsJsonObject() : new JsonObject().put("status", answer.statusCode());
  }

  private static void erase(TestService node, String player, String id) throws Exception {
    HttpResponse<Buffer> accepted = node.client.post("/v1/privacy/requests")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("type", "erase").put("app_id", TestService.APP)
            .put("player_id", player).put("request_id", id)).await(60, SECONDS);
    assertThat(accepted.statusCode()).isEqualTo(202);
  }

  private static long recordsOf(TestService node, String player) {
    return node.sinkRecords().stream().filter(r -> player.equals(r.getString("player_id"))).count();
  }

  private static List<String> doneNodes(JsonObject report) {
    return report.getJsonArray("nodes").stream().map(n -> (JsonObject) n)
        .filter(n -> "done".equals(n.getString("state"))).map(n -> n.getString("node")).toList();
  }

  private static void ready(TestService node) {
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> node.postJson("/v1/events",
        install(newId()).put("player_id", "warm-up")).await(60, SECONDS).statusCode() == 200);
  }

  @Test
  void aMemberStoppedWhileAnEraseWasSentAppliesItWhenItStartsAgainAndARogueRequestIsIgnored() throws Exception {
    TestService a = node(0, null);
    TestService b = node(1, null);
    ready(b);
    // records of the player and of a bystander in b's lake
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      b.postJson("/v1/events", install(newId()).put("player_id", "gone")).await(60, SECONDS);
      b.postJson("/v1/events", install(newId()).put("player_id", "victim")).await(60, SECONDS);
      return recordsOf(b, "gone") > 0 && recordsOf(b, "victim") > 0;
    });
    Path bDir = b.dataDir;
    String bName = name(b);
    stop(b);

    // a member without cluster.secret's proof puts an erasure of "victim" in the cluster's map
    String rogue = new JsonObject().put("request_id", "rogue-1").put("app_id", TestService.APP).put("kind", "PLAYER")
        .put("subject_digest", "00".repeat(32)).put("received_at", "2026-12-07T15:00:00Z").put("raw_id", "victim")
        .put("proof", "AAAAAAAAAAAAAAAAAAAAAA").encode();
    a.vertx.sharedData().<String, String>getAsyncMap(ClusterErasures.REQUESTS)
        .compose(map -> map.put("rogue-1", rogue)).await(60, SECONDS);

    erase(a, "gone", "erase-while-down");
    await().atMost(Duration.ofSeconds(30)).until(() -> report(a, "erase-while-down").getJsonArray("pending", new io.vertx.core.json.JsonArray()).contains(bName));
    assertThat(report(a, "erase-while-down").getString("state")).isEqualTo("pending");

    TestService b2 = node(1, bDir);
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(report(a, "erase-while-down").getString("state")));
    assertThat(doneNodes(report(a, "erase-while-down"))).containsExactlyInAnyOrder(name(a), bName);
    assertThat(doneNodes(report(b2, "erase-while-down"))).containsExactlyInAnyOrder(name(a), bName);
    JsonObject bLine = report(a, "erase-while-down").getJsonArray("nodes").stream().map(n -> (JsonObject) n)
        .filter(n -> bName.equals(n.getString("node"))).findFirst().orElseThrow();
    assertThat(bLine.getJsonArray("stores").stream().map(s -> (JsonObject) s)
        .filter(s -> "lake".equals(s.getString("store"))).mapToLong(s -> s.getLong("records_removed")).sum())
        .isPositive();
    assertThat(recordsOf(b2, "gone")).isZero();
    assertThat(recordsOf(b2, "victim")).isPositive();
    assertThat(report(a, "rogue-1").getInteger("status")).isEqualTo(404);
    assertThat(b2.registry.get("game_events_cluster_unproven_entries").tag("kind", "suppression").counter().count())
        .isGreaterThanOrEqualTo(1.0);
    // the raw id leaves the cluster's map once every node applied it
    String kept = a.vertx.sharedData().<String, String>getAsyncMap(ClusterErasures.REQUESTS)
        .compose(map -> map.get("erase-while-down")).await(60, SECONDS);
    assertThat(new JsonObject(kept).getString("raw_id")).isNull();
  }

  @Test
  void aRestartOfTheNodeThatTookTheRequestLosesNothing() throws Exception {
    TestService a = node(0, null);
    TestService b = node(1, null);
    ready(b);
    Path aDir = a.dataDir;
    Path bDir = b.dataDir;
    String bName = name(b);
    stop(b);
    erase(a, "gone", "erase-taker-restarts");
    stop(a);

    // b comes back alone (the cluster's map went with a), then a: a's kept request reaches b
    TestService b2 = node(1, bDir);
    TestService a2 = node(0, aDir);
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(report(b2, "erase-taker-restarts")
        .getString("state")));
    assertThat(doneNodes(report(a2, "erase-taker-restarts"))).containsExactlyInAnyOrder(name(a2), bName);
  }
}
