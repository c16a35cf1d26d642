package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig;
import io.gameevents.config.HashKey;
import io.gameevents.dedup.DedupHasher;
import io.gameevents.pipeline.WireLimits;
import java.util.HexFormat;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The event bus with {@code cluster.tls}: members holding certificates of the cluster's CA work together; a node
 * that joined Hazelcast (which takes anyone) but holds no such certificate cannot put a message into the pipeline.
 */
class ClusterTlsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String cluster = "tls-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = List.of(TestService.freePort(), TestService.freePort(),
      TestService.freePort());
  private final List<TestService> nodes = new ArrayList<>();
  private Vertx rogue;

  @AfterEach
  void stop() throws Exception {
    if (rogue != null) {
      CompletableFuture.supplyAsync(() -> rogue.close().toCompletionStage()).thenCompose(closed -> closed)
          .get(60, TimeUnit.SECONDS);
    }
    for (TestService node : nodes) {
      ClusterTest.get(node.stop().otherwiseEmpty());
    }
  }

  @Test
  void membersWithTheClustersCertificatesServeAnEventEndToEnd() throws Exception {
    TestService worker = node(0, "member1", roles("dedup", "delivery"));
    TestService edge = node(1, "member2", roles("http"));
    awaitReady(edge);

    JsonObject event = install(newId());
    assertThat(status(edge, event)).isEqualTo("accepted");
    assertThat(status(edge, event)).isEqualTo("duplicate");

    assertThat(worker.sinkRecords()).extracting(r -> r.getString("event_id"))
        .containsExactly(event.getString("event_id"));
    assertThat(edge.sinkRecords()).isEmpty();
  }

  /**
   * The rogue is a plain clustered Vert.x with the cluster's name and seeds: Hazelcast lets it in and shows it
   * the member's consumers, but the member's event bus refuses its connection, so neither a dedup partition's
   * address nor the member's delivery address receives its batch. The event id it tried is then still new.
   */
  @ParameterizedTest
  @ValueSource(strings = {"no certificate", "a certificate of another CA"})
  void aNodeWithoutAMemberCertificateCannotSendIntoThePipeline(String credentials) throws Exception {
    TestService member = node(0, "member1", c -> c);
    awaitReady(member);
    rogue = rogue(credentials.equals("no certificate"));
    String memberId = ((VertxInternal) member.vertx).clusterManager().getNodeId();
    await().atMost(WAIT).until(() -> ((VertxInternal) rogue).clusterManager().getNodes().contains(memberId));

    JsonObject event = install(newId());
    String eventId = event.getString("event_id");
    EventBatch batch = new EventBatch(List.of(new PipelineEvent(TestService.APP, eventId,
        event.encode().getBytes(StandardCharsets.UTF_8))));
    // the partition the members compute, key and all: the rogue is given every advantage but a certificate
    int partition = new DedupHasher(new HashKey(HexFormat.of().parseHex(TestService.CLUSTER_HASH_KEY)))
        .key(TestService.APP, eventId).partition(64);
    DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(5000);
    for (String address : List.of(Pipeline.dedupAddress(partition), Pipeline.deliveryAddress(memberId))) {
      assertThatThrownBy(() -> ClusterTest.get(rogue.eventBus().request(address, batch, timeout)))
          .as(address).isNotNull();
    }

    assertThat(member.sinkRecords()).isEmpty();
    assertThat(status(member, event)).as("the rogue's copy never reached the dedup window").isEqualTo("accepted");
    assertThat(member.sinkRecords()).extracting(r -> r.getString("event_id")).containsExactly(eventId);
  }

  // --- helpers ---

  private TestService node(int index, String certificate, UnaryOperator<JsonObject> tweak) throws Exception {
    UnaryOperator<JsonObject> secured = c -> tweak.apply(TestService.tlsMember(certificate).apply(c));
    TestService node = ClusterTest.get(TestService.startClustered(cluster, hazelcastPorts.get(index), hazelcastPorts,
        secured));
    nodes.add(node);
    return node;
  }

  /** A clustered Vert.x of the attacker's own making: same cluster name and seeds, its own event bus options. */
  private Vertx rogue(boolean withoutCertificate) throws Exception {
    JsonArray members = new JsonArray();
    hazelcastPorts.forEach(p -> members.add("127.0.0.1:" + p));
    AppConfig app = AppConfig.from(TestService.config(java.nio.file.Files.createTempDirectory("rogue"), 0)
        .put("cluster", new JsonObject().put("name", cluster).put("host", "127.0.0.1")
            .put("port", hazelcastPorts.get(2)).put("members", members)));
    EventBusOptions eventBus = new EventBusOptions().setHost("127.0.0.1");
    if (!withoutCertificate) {
      // a certificate of its own CA, and trust in the cluster's CA so that it accepts the member's certificate
      JsonObject files = TestService.tlsFiles("rogue", "ca");
      ClusterTls.load(new ClusterConfig.Tls(files.getString("cert_path"), files.getString("key_path"),
          files.getString("ca_path"))).apply(eventBus);
    }
    Vertx vertx = ClusterTest.get(Vertx.builder().with(new VertxOptions().setEventBusOptions(eventBus))
        .withClusterManager(ClusterSetup.clusterManager(app)).buildClustered());
    Pipeline.registerCodecs(vertx, WireLimits.of(app.http()));
    return vertx;
  }

  private static UnaryOperator<JsonObject> roles(String... roles) {
    return c -> {
      c.getJsonObject("cluster").put("roles", new JsonArray(List.of((Object[]) roles)));
      return c;
    };
  }

  private static String status(TestService node, JsonObject event) throws Exception {
    HttpResponse<Buffer> response = ClusterTest.get(node.postJson("/v1/events/install", event));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("status");
  }

  private static void awaitReady(TestService node) {
    await().atMost(WAIT).until(() -> ClusterTest.get(node.client.get("/ready").send()).statusCode() == 200);
  }
}
