package io.gameevents.metrics;

import io.gameevents.delivery.Sinks;
import io.gameevents.support.RawHttp;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP server series the dashboard, the alerts and docs/operations.md read, as the service runs with Vert.x's
 * metrics as Main starts them: after accepted events, a refusal, an unknown path, a made-up method and requests on
 * the management listener, /metrics shows each series with its exact labels and counts, and the response-time
 * histogram its buckets.
 */
class HttpServerSeriesTest {

  private static final String REQUESTS = "vertx_http_server_requests_total";
  private static final String RESPONSE_TIME = "vertx_http_server_response_time_seconds";
  private static final String SINGLE_200 = "code=\"200\",method=\"POST\",route=\"/v1/events/:type\"";
  private static final List<String> BUCKETS = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0",
      "2.5", "5.0", "10.0", "30.0", "+Inf");

  private Vertx vertx;
  private TestService service;
  private int managementPort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().with(Metrics.enable(new VertxOptions())).withMetrics(Metrics.factory()).build();
    managementPort = TestService.freePort();
    // no registry of its own: the service's meters go where Vert.x's do, as in Main
    service = TestService.start(vertx, c -> c.put("http", c.getJsonObject("http").put("management_port", managementPort)),
        Sinks.FROM_CONFIG, null).await(30, SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    service.stop().await(30, SECONDS);
    vertx.close().await(30, SECONDS);
  }

  @Test
  void requestSeriesKeepTheirNamesLabelsAndCounts() throws Exception {
    long postedBytes = 0;
    for (int i = 0; i < 3; i++) {
      byte[] body = TestService.install(TestService.newId()).toBuffer().getBytes();
      postedBytes += body.length;
      assertThat(post(service.port, body).status()).isEqualTo(200);
    }
    byte[] refused = TestService.install(TestService.newId()).put("platform", "?").toBuffer().getBytes();
    postedBytes += refused.length;
    RawHttp.Response refusal = post(service.port, refused);
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(request(service.port, "GET /nowhere HTTP/1.1").status()).isEqualTo(404);
    assertThat(request(service.port, "BREW /health HTTP/1.1").status()).isEqualTo(405);
    assertThat(request(managementPort, "GET /health HTTP/1.1").status()).isEqualTo(200);
    long posted = postedBytes;
    scrape(); // a request is counted when its response has ended: this one is in the next scrape

    // a scrape may start before the previous answer's request is counted
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertSeries(scrape(), refusal.body().length, posted));
  }

  private static void assertSeries(Map<String, String> series, int refusalBytes, long postedBytes) {
    Map<String, String> requests = named(series, REQUESTS + "{");
    // the scrapes themselves, on the management listener
    assertThat(requests.remove(REQUESTS + "{code=\"200\",method=\"GET\",route=\"/metrics\"}")).isNotNull();
    assertThat(requests).containsExactly(
        entry(REQUESTS + "{code=\"200\",method=\"GET\",route=\"/health\"}", "1.0"),
        entry(REQUESTS + "{" + SINGLE_200 + "}", "3.0"),
        entry(REQUESTS + "{code=\"400\",method=\"POST\",route=\"/v1/events/:type\"}", "1.0"),
        entry(REQUESTS + "{code=\"404\",method=\"GET\",route=\"\"}", "1.0"),
        entry(REQUESTS + "{code=\"405\",method=\"other\",route=\"\"}", "1.0"));
    Map<String, String> buckets = named(series, RESPONSE_TIME + "_bucket{" + SINGLE_200);
    assertThat(buckets.keySet()).containsExactlyInAnyOrderElementsOf(
        BUCKETS.stream().map(le -> RESPONSE_TIME + "_bucket{" + SINGLE_200 + ",le=\"" + le + "\"}").toList());
    assertThat(buckets).containsEntry(RESPONSE_TIME + "_bucket{" + SINGLE_200 + ",le=\"+Inf\"}", "3");
    assertThat(series).containsEntry(RESPONSE_TIME + "_count{" + SINGLE_200 + "}", "3")
        .containsEntry("vertx_http_server_response_bytes_sum{code=\"400\",method=\"POST\",route=\"/v1/events/:type\"}",
            refusalBytes + ".0")
        .containsEntry("vertx_http_server_request_bytes_count{method=\"POST\"}", "4")
        .containsEntry("vertx_http_server_request_bytes_sum{method=\"POST\"}", postedBytes + ".0")
        .containsEntry("vertx_http_server_active_requests{method=\"POST\"}", "0.0")
        .containsEntry("vertx_http_server_active_requests{method=\"other\"}", "0.0")
        // the scrape in progress
        .containsEntry("vertx_http_server_active_requests{method=\"GET\"}", "1.0")
        .containsKeys("vertx_http_server_active_connections", "vertx_http_server_bytes_read_total",
            "vertx_http_server_bytes_written_total");
  }

  private static Map<String, String> named(Map<String, String> series, String prefix) {
    Map<String, String> named = new TreeMap<>();
    series.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        named.put(name, value);
      }
    });
    return named;
  }

  /** Each series (name and labels) with its value. */
  private Map<String, String> scrape() throws Exception {
    RawHttp.Response response = request(managementPort, "GET /metrics HTTP/1.1");
    assertThat(response.status()).isEqualTo(200);
    Map<String, String> series = new TreeMap<>();
    for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        series.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    return series;
  }

  private static RawHttp.Response post(int port, byte[] body) throws Exception {
    try (RawHttp client = RawHttp.connect(port)) {
      client.write(RawHttp.post("/v1/events/install", body, "Content-Type: application/json",
          "Authorization: Bearer " + TestService.KEY, "Connection: close"));
      return client.read();
    }
  }

  private static RawHttp.Response request(int port, String line) throws Exception {
    try (RawHttp client = RawHttp.connect(port)) {
      client.write(RawHttp.head(line, "Host: 127.0.0.1", "Connection: close"));
      return client.read();
    }
  }
}
