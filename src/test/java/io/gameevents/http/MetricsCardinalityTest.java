package io.gameevents.http;

import io.gameevents.delivery.Sinks;
import io.gameevents.metrics.Metrics;
import io.gameevents.support.RawHttp;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sends never becomes a meter label as such: the service runs with Vert.x's metrics as Main
 * starts them, takes 10,000 requests with made-up methods on made-up and real paths, and /metrics has not
 * one series more than after a warm-up that saw each kind of request once.
 */
class MetricsCardinalityTest {

  private static final int FLOOD = 10_000;
  private static final int PIPELINED = 100;
  private static final List<String> SERVED_PATHS = List.of("/health", "/ready", "/v1/batch", "/v1/events/install");
  private static final Pattern METHOD_LABEL = Pattern.compile("method=\"([^\"]*)\"");

  private final Random random = new Random(7);
  private Vertx vertx;
  private TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().with(Metrics.enable(new VertxOptions())).withMetrics(Metrics.factory()).build();
    // no registry of its own: the service's meters go where Vert.x's do, as in Main
    service = TestService.start(vertx, c -> c, Sinks.FROM_CONFIG, null).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    service.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void madeUpMethodsAndPathsAddNoSeries() throws Exception {
    for (String method : List.of("GET", "HEAD", "POST", "OPTIONS")) {
      for (String path : SERVED_PATHS) {
        try (RawHttp client = RawHttp.connect(service.port)) {
          client.write(RawHttp.head(method + " " + path + " HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 0",
              "Connection: close"));
          RawHttp.Response response = method.equals("HEAD") ? client.readHead() : client.read();
          assertThat(response.status()).as("%s %s", method, path).isLessThan(500);
        }
      }
    }
    flood(PIPELINED); // each kind of made-up request at least once
    scrape();
    Set<String> before = series(scrape());

    flood(FLOOD);

    String after = scrape();
    Set<String> added = series(after);
    added.removeAll(before);
    assertThat(added.size()).as("series added by %d made-up requests, e.g. %s", FLOOD,
        added.stream().limit(3).toList()).isZero();
    Set<String> methods = new TreeSet<>();
    Matcher labels = METHOD_LABEL.matcher(after);
    while (labels.find()) {
      methods.add(labels.group(1));
    }
    assertThat(methods).isSubsetOf("GET", "HEAD", "POST", "OPTIONS", "other").contains("other");
  }

  /** {@code count} requests with random methods, on random paths and on the served ones, pipelined by the 100. */
  private void flood(int count) throws Exception {
    for (int sent = 0; sent < count; sent += PIPELINED) {
      try (RawHttp client = RawHttp.connect(service.port)) {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 0; i < PIPELINED; i++) {
          String path = i % SERVED_PATHS.size() == 0 ? "/" + letters(1 + random.nextInt(30))
              : SERVED_PATHS.get(i % SERVED_PATHS.size());
          requests.write(RawHttp.head(letters(1 + random.nextInt(40)) + " " + path + " HTTP/1.1", "Host: 127.0.0.1"));
        }
        client.write(requests.toByteArray());
        for (int i = 0; i < PIPELINED; i++) {
          assertThat(client.read().status()).isBetween(400, 499);
        }
      }
    }
  }

  private String letters(int length) {
    StringBuilder letters = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char letter = (char) ('A' + random.nextInt(26));
      letters.append(random.nextBoolean() ? letter : Character.toLowerCase(letter));
    }
    return letters.toString();
  }

  private String scrape() throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(RawHttp.head("GET /metrics HTTP/1.1", "Host: 127.0.0.1", "Connection: close"));
      RawHttp.Response response = client.read();
      assertThat(response.status()).isEqualTo(200);
      return new String(response.body(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Each series' name and labels. The JVM's own (jvm_*) are left out: which GC causes or memory pools show
   * up depends on the JVM's work, not on what clients send.
   */
  private static Set<String> series(String scrape) {
    Set<String> series = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("jvm_")) {
        series.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return series;
  }
}
