package io.gameevents.bench;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator against a real server whose every answer it counts: failures must show in the result. */
class OpenLoopEngineTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(60, SECONDS);
  }

  private HttpServer server(Set<String> ids, AtomicInteger ok, AtomicInteger refused, AtomicInteger dropped) throws Exception {
    AtomicInteger seen = new AtomicInteger();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.body().onSuccess(body -> {
          ids.add(body.toJsonObject().getString("event_id"));
          int n = seen.incrementAndGet();
          if (n % 10 == 0) {
            dropped.incrementAndGet();
            request.connection().close(); // no answer at all
          } else if (n % 10 == 5) {
            refused.incrementAndGet();
            request.response().setStatusCode(503).putHeader("Retry-After", "1").end("{\"status\":\"unavailable\"}");
          } else if (n % 10 == 7) {
            ok.incrementAndGet();
            request.response().setChunked(true).write("{\"status\":");
            request.response().end("\"accepted\"}");
          } else {
            ok.incrementAndGet();
            request.response().end("{\"status\":\"accepted\"}");
          }
        }))
        .listen().await(60, SECONDS);
  }

  private static OpenLoopEngine.Result run(int port, long tickNanos) throws Exception {
    OpenLoopEngine.Settings settings = new OpenLoopEngine.Settings(new InetSocketAddress("127.0.0.1", port), 400, 4,
        0, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(30), tickNanos);
    RequestTemplate template = RequestTemplate.installEvents("127.0.0.1:" + port, "/v1/events/install",
        "Bearer dev-secret", 0, "test", "2026-12-02T04:00:00Z");
    return new OpenLoopEngine(settings, template).run();
  }

  @Test
  void countsEveryAnswerRefusalAndLostRequest() throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    HttpServer server = server(ids, ok, refused, dropped);

    OpenLoopEngine.Result result = run(server.actualPort(), TimeUnit.MICROSECONDS.toNanos(100));

    assertThat(result.due()).isEqualTo(200); // 400/s for 0.5 s
    assertThat(ids).hasSize(200);
    assertThat(result.answered()).isEqualTo(ok.get() + refused.get());
    assertThat(result.non2xx()).isEqualTo(refused.get()).isEqualTo(20);
    assertThat(result.statusCounts()[503]).isEqualTo(20);
    assertThat(result.lost()).isEqualTo(dropped.get()).isEqualTo(20);
    assertThat(result.unanswered()).isZero();
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(180);
    assertThat(result.clean()).isFalse();
    assertThat(OpenLoopLoad.summary(result)).contains("non-2xx: 20 (503 x 20)", "errors: 20", "NOT CLEAN");
  }

  @Test
  void aCleanRunWithTicksAnswersEveryRequest() throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.body().onSuccess(body -> {
          ids.add(body.toJsonObject().getString("event_id"));
          request.response().end("{\"status\":\"accepted\"}");
        }))
        .listen().await(60, SECONDS);

    OpenLoopEngine.Result result = run(server.actualPort(), TimeUnit.MILLISECONDS.toNanos(1));

    assertThat(result.answered()).isEqualTo(200);
    assertThat(ids).hasSize(200);
    assertThat(result.clean()).isTrue();
    assertThat(OpenLoopLoad.summary(result)).contains("non-2xx: 0,", "errors: 0,", "unanswered: 0,")
        .doesNotContain("NOT CLEAN");
  }

  @Test
  void aServerThatIsNotThereFailsTheRunLoudly() throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.response().end()).listen().await(60, SECONDS);
    int port = server.actualPort();
    server.close().await(60, SECONDS);

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run(port, TimeUnit.MICROSECONDS.toNanos(100))))
        .hasMessageContaining("could not open 4 connections to");
  }
}
