package io.gameevents.delivery;

import io.gameevents.support.ControlledSink;
import io.gameevents.support.ControlledSink.Mode;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /ready, /health/sink and the game_events_sink_state metric give the same answer in each state of the
 * sink, because they all read the one {@link SinkState}: walked through every state on a running service.
 */
class SinkStateAgreementTest {

  private final ControlledSink.Tap tap = new ControlledSink.Tap();
  private Vertx vertx;
  private TestService service;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      tap.sink().mode(Mode.PASS).release();
      service.stop().await(60, SECONDS);
    }
    vertx.close().await(60, SECONDS);
  }

  @Test
  void writingFatalAndFailingAgree() throws Exception {
    start(600_000);

    assertThat(send()).isEqualTo(200);
    assertAgree("writing", true);

    tap.sink().ownCheck(SinkHealth.notReady("cannot write to the test directory"));
    assertAgree("fatal", false);
    assertThat(detailOnSinkHealth()).isEqualTo("cannot write to the test directory");

    tap.sink().ownCheck(null).mode(Mode.FAIL);
    assertThat(send()).isEqualTo(503);
    assertAgree("failing", true);
  }

  @Test
  void breakerOpenAndProbingAgree() throws Exception {
    start(100);
    tap.sink().mode(Mode.FAIL);
    assertThat(send()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(30)).until(() -> "breaker_open".equals(sinkHealthState()));
    assertAgree("breaker_open", false);

    tap.sink().mode(Mode.HOLD);
    Future<HttpResponse<Buffer>> probe = service.postJson("/v1/events/install", install(newId()));
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.sink().heldWrites() == 1);
    assertAgree("probing", false);
    assertThat(detailOnSinkHealth()).endsWith("; a probe write is in flight");

    tap.sink().mode(Mode.FAIL).release();
    assertThat(probe.await(60, SECONDS).statusCode()).isEqualTo(503);
    assertAgree("breaker_open", false);
  }

  // ---- helpers ----

  private void start(long openAfterMs) throws Exception {
    service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("instances", 1).put("circuit_breaker",
          new JsonObject().put("open_after_ms", openAfterMs).put("probe_interval_ms", 600_000));
      return c;
    }, tap).await(60, SECONDS);
  }

  private int send() throws Exception {
    return service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).statusCode();
  }

  /** All three say {@code state}: the probes' status codes, the state they name, and the metric's one series at 1. */
  private void assertAgree(String state, boolean ready) throws Exception {
    HttpResponse<Buffer> readiness = service.probe("/ready").send().await(60, SECONDS);
    HttpResponse<Buffer> sinkHealth = service.probe("/health/sink").send().await(60, SECONDS);
    JsonObject node = only(readiness.bodyAsJsonObject().getJsonObject("stages").getJsonObject("delivery"));
    JsonObject remote = only(sinkHealth.bodyAsJsonObject().getJsonObject("nodes")).getJsonObject("remote");

    assertThat(readiness.statusCode()).as(readiness.bodyAsString()).isEqualTo(ready ? 200 : 503);
    assertThat(sinkHealth.statusCode()).as(sinkHealth.bodyAsString()).isEqualTo(ready ? 200 : 503);
    assertThat(node.getString("state")).isEqualTo(state);
    assertThat(node.getBoolean("ready")).isEqualTo(ready);
    assertThat(remote.getString("state")).isEqualTo(state);
    assertThat(remote.getBoolean("ready")).isEqualTo(ready);
    assertThat(timeless(remote.getString("detail"))).isEqualTo(timeless(node.getString("detail")));
    if (!ready) {
      assertThat(timeless(readiness.bodyAsJsonObject().getString("detail"))).endsWith(timeless(node.getString("detail")));
    }
    for (String label : SinkState.labels()) {
      assertThat(service.registry.get("game_events_sink_state").tag("state", label).gauge().value())
          .as("game_events_sink_state{state=%s}", label).isEqualTo(label.equals(state) ? 1.0 : 0.0);
    }
  }

  /** The two probes ask a moment apart: "failing for 17 ms" and "for 33 ms" say the same. */
  private static String timeless(String detail) {
    return detail.replaceAll("for \\d+ (ms|s)", "for N $1");
  }

  private String sinkHealthState() throws Exception {
    JsonObject body = service.probe("/health/sink").send().await(60, SECONDS).bodyAsJsonObject();
    return only(body.getJsonObject("nodes")).getJsonObject("remote").getString("state");
  }

  private String detailOnSinkHealth() throws Exception {
    JsonObject body = service.probe("/health/sink").send().await(60, SECONDS).bodyAsJsonObject();
    return only(body.getJsonObject("nodes")).getJsonObject("remote").getString("detail");
  }

  private static JsonObject only(JsonObject byNode) {
    assertThat(byNode.fieldNames()).hasSize(1);
    return byNode.getJsonObject(byNode.fieldNames().iterator().next());
  }
}
