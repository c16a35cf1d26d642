package io.gameevents.metrics;

import io.gameevents.support.RawHttp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * vertx-micrometer keeps one registry per name for the JVM: a second Vert.x instance with metrics sends its meters
 * to the first one's registry, and its HTTP server requests must be counted there too, beside its connections.
 */
class VertxMetersTest {

  private Vertx first;
  private Vertx second;

  @AfterEach
  void close() throws Exception {
    if (second != null) {
      second.close().await(30, SECONDS);
    }
    if (first != null) {
      first.close().await(30, SECONDS);
    }
  }

  @Test
  void aSecondInstanceCountsItsRequestsWhereItsOtherMetersGo() throws Exception {
    first = Vertx.builder().with(Metrics.enable(new VertxOptions())).withMetrics(Metrics.factory()).build();
    second = Vertx.builder().with(Metrics.enable(new VertxOptions())).withMetrics(Metrics.factory()).build();
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    Router router = Router.router(second);
    router.get("/vertx-meters-test").handler(ctx -> ctx.response().end("ok"));
    HttpServer server = second.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(30, SECONDS);

    try (RawHttp client = RawHttp.connect(server.actualPort())) {
      client.write(RawHttp.head("GET /vertx-meters-test HTTP/1.1", "Host: 127.0.0.1", "Connection: close"));
      assertThat(client.read().status()).isEqualTo(200);
    }

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Counter requests = shared.find("vertx.http.server.requests").tag("route", "/vertx-meters-test").counter();
      assertThat(requests).isNotNull();
      assertThat(requests.count()).isEqualTo(1.0);
    });
  }
}
