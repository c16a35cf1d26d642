package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** log.access.enabled, log.access.sample_rate, log.rejections_per_second and the text layout's messages. */
@ExtendWith(VertxExtension.class)
class AccessLogSettingsTest {

  @Test
  void sampleRateZeroLeavesOutAnsweredRequestsButNotRefusals(Vertx vertx) throws Exception {
    JsonObject log = new JsonObject().put("access", new JsonObject().put("sample_rate", 0));
    withService(vertx, log, (service, captured) -> {
      List<String> answered = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answered.add(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).getHeader("X-Request-Id"));
      }
      String refused = service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS)
          .getHeader("X-Request-Id");
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.request(refused) != null);
      assertThat(captured.accessLines()).extracting(line -> line.getString("request_id")).containsExactly(refused);
    });
  }

  @Test
  void aSampleRateKeepsAboutThatShare(Vertx vertx) throws Exception {
    JsonObject log = new JsonObject().put("access", new JsonObject().put("sample_rate", 0.5));
    withService(vertx, log, (service, captured) -> {
      for (int i = 0; i < 200; i++) {
        service.client.get("/health").send().await(60, SECONDS);
      }
      String last = service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS)
          .getHeader("X-Request-Id");
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.request(last) != null);
      // 200 draws at 0.5: outside 60..140 has a probability below 1e-8
      assertThat(captured.accessLines().size() - 1).isBetween(60, 140);
    });
  }

  @Test
  void disabledWritesNoLinePerRequest(Vertx vertx) throws Exception {
    JsonObject log = new JsonObject().put("access", new JsonObject().put("enabled", false));
    withService(vertx, log, (service, captured) -> {
      HttpResponse<Buffer> ok = service.postJson("/v1/events/install", install(newId())).await(60, SECONDS);
      HttpResponse<Buffer> refused = service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer())
          .await(60, SECONDS);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(refused.statusCode()).isEqualTo(401);
      // the service's own lines go on: the shutdown's come after any access line these requests could write
      service.main.drain().await(60, SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.text().contains("drained"));
      assertThat(captured.accessLines()).isEmpty();
    });
  }

  @Test
  void zeroRejectionsASecondWritesNoRefusal(Vertx vertx) throws Exception {
    withService(vertx, new JsonObject().put("rejections_per_second", 0), (service, captured) -> {
      service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
      String ok = service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).getHeader("X-Request-Id");
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.request(ok) != null);
      assertThat(captured.accessLines()).singleElement().satisfies(line -> assertThat(line.getInteger("status"))
          .isEqualTo(200));
    });
  }

  /** In the text layout the fields are in the message, as key=value; in JSON they are fields only. */
  @Test
  void theTextLayoutShowsTheFieldsInTheMessage(Vertx vertx) throws Exception {
    withService(vertx, new JsonObject().put("format", "text"), (service, captured) -> {
      HttpResponse<Buffer> response = service.post("/v1/events/install").putHeader("X-Request-Id", "text-1")
          .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.request("text-1") != null);
      assertThat(captured.request("text-1").getString("message"))
          .startsWith("POST /v1/events/{type} 200 request_id=text-1 client=127.0.0.1 key_id=dev app_id=com.game.test "
              + "events=1 duration_ms=");
    });
  }

  /** An app_id is logged once it validated: a credential allowed any app must not let a line break through. */
  @Test
  void anInvalidAppIdIsNotLogged(Vertx vertx) throws Exception {
    withService(vertx, new JsonObject().put("format", "text"), anyAppKey(), (service, captured) -> {
      JsonObject forged = install(newId()).put("app_id", "com.game\n2026-12-07T04:00:00Z INFO forged");
      HttpResponse<Buffer> refused = service.post("/v1/events/install", "any-app-secret")
          .putHeader("X-Request-Id", "f-1").sendBuffer(forged.toBuffer()).await(10, TimeUnit.SECONDS);
      HttpResponse<Buffer> batch = service.post("/v1/batch", "any-app-secret").putHeader("X-Request-Id", "f-2")
          .sendBuffer(new JsonObject().put("events", new JsonArray().add(forged).add(install(newId()))).toBuffer())
          .await(10, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(batch.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.request("f-2") != null);
      assertThat(captured.request("f-1").containsKey("app_id")).isFalse();
      assertThat(captured.request("f-1").getString("message")).doesNotContain("forged");
      // the batch is logged with the app of its valid event
      assertThat(captured.request("f-2").getString("app_id")).isEqualTo(TestService.APP);
      assertThat(captured.text()).doesNotContain("INFO forged");
    });
  }

  /** The refusals a rate limit left out are reported in a line of their own once their second is over. */
  @Test
  void refusalsLeftOutAreSummed(Vertx vertx) throws Exception {
    withService(vertx, new JsonObject().put("rejections_per_second", 1), (service, captured) -> {
      for (int i = 0; i < 30; i++) {
        service.post("/v1/events/install", TestService.OTHER_APP_KEY).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> captured.accessLines().stream()
          .mapToLong(line -> line.getLong("suppressed") + (line.containsKey("request_id") ? 1 : 0)).sum() == 30);
      JsonObject summary = captured.accessLines().stream().filter(line -> !line.containsKey("request_id"))
          .findFirst().orElseThrow();
      assertThat(summary.getString("message")).endsWith(" refused requests not logged");
      assertThat(summary.getString("reason")).isEqualTo("forbidden-app");
      assertThat(summary.getString("key_id")).isEqualTo("other");
      assertThat(summary.getLong("suppressed")).isPositive();
    });
  }

  private interface Check {
    void run(TestService service, CapturedLog log) throws Exception;
  }

  private static void withService(Vertx vertx, JsonObject log, Check check) throws Exception {
    withService(vertx, log, config -> config, check);
  }

  private static JsonObject anyAppKey(JsonObject config) {
    config.getJsonObject("auth").getJsonArray("api_keys").add(new JsonObject().put("id", "any").put("key", "any-app-secret")
        .put("app_ids", new JsonArray().add("*")));
    return config;
  }

  private static UnaryOperator<JsonObject> anyAppKey() {
    return AccessLogSettingsTest::anyAppKey;
  }

  private static void withService(Vertx vertx, JsonObject log, UnaryOperator<JsonObject> tweak, Check check)
      throws Exception {
    TestService service = TestService.start(vertx, config -> tweak.apply(config).put("log", log))
        .await(30, TimeUnit.SECONDS);
    try (CapturedLog captured = CapturedLog.access()) {
      check.run(service, captured);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }
}
