package io.gameevents.cluster;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped jar as {@code -cluster} runs it with {@code cluster.tls}: a peer that does not speak TLS to the event-bus
 * port is counted on the node's {@code /metrics} (Vert.x's Prometheus registry, which the in-process tests do not
 * use) and named in a WARN that quotes nothing the peer sent.
 */
class RefusedPeersIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private JarNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroy();
    }
  }

  @Test
  void aPeerThatIsNotAMemberIsCountedOnMetricsAndLoggedWithoutWhatItSent(@TempDir Path dir) throws Exception {
    int hazelcast = TestService.freePort();
    int eventBus = TestService.freePort();
    int management = TestService.freePort();
    node = JarNode.member(dir, "refused-" + UUID.randomUUID(), hazelcast, List.of(hazelcast), "http", "dedup",
        "delivery");
    TestService.tlsMember("member1").apply(node.config());
    node.config().getJsonObject("cluster").put("event_bus_port", eventBus);
    node.config().getJsonObject("http").put("management_port", management);
    node.start();
    assertThat(scrape(management)).contains("game_events_cluster_refused_peers_total{reason=\"handshake\"} 0.0\n");

    String sent = "player_id=player-secret-42";
    try (Socket plain = new Socket("127.0.0.1", eventBus)) {
      plain.setSoTimeout(10_000);
      plain.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      plain.getInputStream().read();
    } catch (IOException closedByTheNode) {
      // the refusal under test
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> scrape(management)
        .contains("game_events_cluster_refused_peers_total{reason=\"handshake\"} 1.0\n"));
    await().atMost(Duration.ofSeconds(30)).until(() -> node.log().contains("event bus refused peer /127.0.0.1:"));
    assertThat(node.log()).contains("handshake (NotSslRecordException)")
        .doesNotContain(sent)
        .doesNotContain(HexFormat.of().formatHex(sent.getBytes(StandardCharsets.US_ASCII)));
  }

  private String scrape(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
