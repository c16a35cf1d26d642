package io.gameevents;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the alert rules and the dashboard name (in queries, runbooks and descriptions alike) is in
 * a real scrape: the fat jar, as Main starts it with Vert.x's metrics (HTTP server, JVM), in spool mode
 * forwarding to the Firehose double, so the spool's, forwarder's and Firehose sink's meters exist too.
 * It is scraped on its management port, set through the environment, while the public port refuses /metrics.
 */
class ExportedMetricsIT {

  /**
   * HTTP/1.1, as Prometheus scrapes: over the JDK client's default h2c upgrade about one scrape in ten
   * of a /metrics body this size stalls until the server's 120 s idle timeout (seen with the jar of main too).
   */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private Vertx vertx;
  private FirehoseDouble firehose;
  private JarNode node;

  @BeforeEach
  void startDouble() throws Exception {
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (node != null) {
      node.destroy();
    }
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  @Test
  void everyMetricTheRulesAndTheDashboardNameIsExportedByTheJar(@TempDir Path dir) throws Exception {
    int managementPort = TestService.freePort();
    node = JarNode.single(dir).withTestAwsCredentials()
        .env("GAME_EVENTS_MANAGEMENT_PORT", Integer.toString(managementPort));
    node.config().getJsonObject("delivery").put("sink", "firehose").put("firehose", new JsonObject()
        .put("stream_name", FirehoseDouble.STREAM).put("endpoint_override", firehose.endpoint()));
    // the member certificate's expiry is exported whenever cluster.tls is set
    JsonObject cluster = node.config().getJsonObject("cluster", new JsonObject());
    node.config().put("cluster", cluster.put("tls", TestService.tlsFiles("member1", "ca")));
    node.start();
    // one event through every stage, so the per-route HTTP meters and the forwarder's exist
    assertThat(http.send(node.post(TestService.install(TestService.newId()), Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> firehose.records().size() == 1);
    // a refusal for its content: game_events_refused_total is made by the first one
    assertThat(http.send(node.post(TestService.install(TestService.newId()).put("platform", "?"), Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);

    Set<String> named = new TreeSet<>(MetricReferences.inFile(MetricReferences.RULES));
    named.addAll(MetricReferences.inFile(MetricReferences.DASHBOARD));
    HttpResponse<String> scrape = get(managementPort, "/metrics");

    assertThat(get(node.port, "/metrics").statusCode()).isEqualTo(404);
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(named).anyMatch(name -> name.startsWith("vertx_")).anyMatch(name -> name.startsWith("jvm_"))
        .anyMatch(name -> name.startsWith("game_events_firehose_"));
    for (String metric : named) {
      assertThat(MetricReferences.exported(scrape.body(), metric)).as("%s is exported", metric).isTrue();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
