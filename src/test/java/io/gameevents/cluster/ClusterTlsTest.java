package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig;
import io.gameevents.dedup.ownership.PartitionAssignment;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.WireLimits;
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

import io.micrometer.core.instrument.Counter;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLEngine;
import java.security.Principal;
import java.security.PrivateKey;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;
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
  private final List<Integer> hazelcastPorts = List.of(TestService.freeSeedPort(), TestService.freeSeedPort(),
      TestService.freeSeedPort());
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
    // the members' own connections passed the handshake: none is counted as refused, on either side
    assertThat(refusedPeers(worker)).isEqualTo(Map.of("no_certificate", 0.0, "untrusted_certificate", 0.0,
        "handshake", 0.0));
    assertThat(refusedPeers(edge)).isEqualTo(refusedPeers(worker));
  }

  /**
   * Peers that reach a member's event-bus port without a member certificate are refused in the handshake, and
   * each is counted under its reason: a TLS client with no certificate, one with a certificate of another CA,
   * and a client that does not speak TLS at all.
   */
  @Test
  void aMemberCountsEachPeerItsEventBusRefusesByReason() throws Exception {
    int eventBusPort = TestService.freePort();
    TestService member = node(0, "member1", c -> {
      c.getJsonObject("cluster").put("event_bus_port", eventBusPort);
      return c;
    });
    awaitReady(member);
    assertThat(refusedPeers(member)).isEqualTo(Map.of("no_certificate", 0.0, "untrusted_certificate", 0.0,
        "handshake", 0.0));

    tlsClient(eventBusPort, null);
    await().atMost(WAIT).until(() -> refusedPeers(member).get("no_certificate") == 1.0);

    tlsClient(eventBusPort, TestService.tlsFiles("rogue", "rogue-ca"));
    await().atMost(WAIT).until(() -> refusedPeers(member).get("untrusted_certificate") == 1.0);

    try (Socket plain = new Socket("127.0.0.1", eventBusPort)) {
      plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      plain.setSoTimeout(10_000);
      plain.getInputStream().read();
    } catch (IOException closedByTheMember) {
      // the member closes the connection: that is the refusal
    }
    await().atMost(WAIT).until(() -> refusedPeers(member).get("handshake") == 1.0);

    assertThat(refusedPeers(member)).isEqualTo(Map.of("no_certificate", 1.0, "untrusted_certificate", 1.0,
        "handshake", 1.0));
  }

  /**
   * The rogue is a plain clustered Vert.x with the cluster's name and seeds: Hazelcast lets it in and shows it
   * the member's consumers, but the member's event bus refuses its connection, so neither the dedup instance that
   * owns the event's partition nor the member's delivery address receives its batch. The event id it tried is then
   * still new.
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
    // the owner of the event's partition (the member's one dedup instance owns them all), where the members' HTTP
    // stages send batches: the rogue is given every advantage but a certificate
    String owner = Pipeline.dedupInstanceAddress(PartitionAssignment.ownerName(memberId, 0));
    DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(5000);
    for (String address : List.of(owner, Pipeline.deliveryAddress(memberId))) {
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
    Wire.registerCodecs(vertx, WireLimits.of(app.http()));
    return vertx;
  }

  /** A node's {@code game_events_cluster_refused_peers_total} by reason; a missing series reads -1. */
  private static Map<String, Double> refusedPeers(TestService node) {
    Map<String, Double> counts = new TreeMap<>();
    for (String reason : List.of("no_certificate", "untrusted_certificate", "handshake")) {
      Counter counter = node.registry.find("game_events_cluster_refused_peers").tag("reason", reason).counter();
      counts.put(reason, counter == null ? -1.0 : counter.count());
    }
    return counts;
  }

  /**
   * A plain JDK TLS client that trusts any server and presents {@code files}' certificate, or none when null.
   * With TLS 1.3 the client may finish its side before the server has checked its certificate, so it also reads
   * until the member closes the connection.
   */
  private static void tlsClient(int port, JsonObject files) throws Exception {
    KeyManager[] keys = null;
    if (files != null) {
      keys = new PemKeyCertOptions()
          .setCertValue(Buffer.buffer(java.nio.file.Files.readAllBytes(Path.of(files.getString("cert_path")))))
          .setKeyValue(Buffer.buffer(java.nio.file.Files.readAllBytes(Path.of(files.getString("key_path")))))
          .getKeyManagerFactory(null).getKeyManagers();
      keys = new KeyManager[] {new OfferedRegardless((X509KeyManager) keys[0])};
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, new TrustManager[] {new TrustingAnyServer()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      socket.getInputStream().read();
    } catch (IOException refused) {
      // the member's alert or its closing the connection: the refusal under test
    }
  }

  /**
   * A client key manager that offers its certificate whatever CAs the server asks for. The JDK's own, like most
   * TLS stacks, sends no certificate when its issuer is not among those the member names in its certificate
   * request (that client is counted as {@code no_certificate}); a hand-made client offers it anyway.
   */
  private static final class OfferedRegardless extends X509ExtendedKeyManager {
    private final X509KeyManager keys;

    OfferedRegardless(X509KeyManager keys) {
      this.keys = keys;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      for (String keyType : keyTypes) {
        String[] aliases = keys.getClientAliases(keyType, null);
        if (aliases != null && aliases.length > 0) {
          return aliases[0];
        }
      }
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return keys.getClientAliases(keyType, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }
  }

  private static final class TrustingAnyServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
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
