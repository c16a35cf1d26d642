package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.Sinks;
import io.gameevents.support.TestService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * http.management_port: /metrics (and the operators' tools: the debugger, replay) leave the public listener for its
 * own; the probes answer on both.
 */
@ExtendWith(VertxExtension.class)
class ManagementPortTest {

  @Test
  void withAManagementPortMetricsAreServedThereOnlyAndTheProbesOnBoth(Vertx vertx) throws Exception {
    int managementPort = TestService.freePort();
    TestService service = start(vertx, managementPort);
    WebClient management = WebClient.create(vertx);
    try {
      assertThat(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).statusCode()).isEqualTo(200);

      HttpResponse<Buffer> publicMetrics = service.client.get("/metrics").send().await(60, SECONDS);
      HttpResponse<Buffer> scrape = get(management, managementPort, "/metrics");

      assertThat(publicMetrics.statusCode()).isEqualTo(404);
      assertThat(publicMetrics.bodyAsJsonObject().getString("title")).isEqualTo("Not found");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(scrape.bodyAsString()).contains("game_events_events_total{outcome=\"accepted\"} 1.0");
      for (String probe : new String[] {"/health", "/ready"}) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(service.client.get(probe).send().await(60, SECONDS).statusCode()).as("public %s", probe).isEqualTo(200);
          assertThat(get(management, managementPort, probe).statusCode()).as("management %s", probe).isEqualTo(200);
        });
      }
      // the management listener takes no events
      assertThat(management.post(managementPort, "127.0.0.1", "/v1/events/install")
          .putHeader("Authorization", "Bearer " + TestService.KEY)
          .sendJsonObject(install(newId())).await(60, SECONDS).statusCode()).isEqualTo(404);
    } finally {
      management.close();
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void withAManagementPortReplayIsServedThereOnly(Vertx vertx) throws Exception {
    int managementPort = TestService.freePort();
    TestService service = start(vertx, managementPort);
    WebClient management = WebClient.create(vertx);
    try {
      Buffer none = new io.vertx.core.json.JsonObject().put("records", new io.vertx.core.json.JsonArray()).toBuffer();
      HttpResponse<Buffer> onPublic = service.post(ReplayHandler.PATH, TestService.ADMIN_TOKEN).sendBuffer(none)
          .await(60, SECONDS);
      HttpResponse<Buffer> onManagement = management.post(managementPort, "127.0.0.1", ReplayHandler.PATH)
          .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).sendBuffer(none).await(60, SECONDS);

      assertThat(onPublic.statusCode()).isEqualTo(404);
      assertThat(onManagement.statusCode()).isEqualTo(200);
      assertThat(onManagement.bodyAsJsonObject().encode())
          .isEqualTo("{\"accepted\":0,\"duplicates\":0,\"rejected\":0,\"results\":[]}");
    } finally {
      management.close();
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void withoutOneMetricsStayOnThePublicPort(Vertx vertx) throws Exception {
    TestService service = TestService.start(vertx, c -> c, Sinks.FROM_CONFIG,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).await(60, SECONDS);
    try {
      HttpResponse<Buffer> scrape = service.client.get("/metrics").send().await(60, SECONDS);

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.bodyAsString()).contains("game_events_dedup_partitions 64.0");
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  private static TestService start(Vertx vertx, int managementPort) throws Exception {
    return TestService.start(vertx, c -> {
      c.getJsonObject("http").put("management_port", managementPort);
      return c;
    }, Sinks.FROM_CONFIG, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).await(60, SECONDS);
  }

  private static HttpResponse<Buffer> get(WebClient client, int port, String path) throws Exception {
    return client.get(port, "127.0.0.1", path).send().await(60, SECONDS);
  }
}
