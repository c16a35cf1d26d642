package io.gameevents.debugger;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.config.AdminConfig;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.support.SseStream;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.gameevents.debugger.DebuggerStreamTest.open;
import static io.gameevents.debugger.DebuggerStreamTest.start;
import static io.gameevents.support.TestService.ADMIN_TOKEN;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Who may open the debugger, where it is served, and that no credential ever reaches its stream. */
@ExtendWith(VertxExtension.class)
class DebuggerAccessTest {

  private static final String DISTINCTIVE_KEY = "Zq7distinctive-game-key-4711";

  @Test
  void aGameApiKeyGetsTheSame401AsAnyOtherCredentialOnThePageAndTheStream(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try {
      for (String path : new String[] {"/debugger", "/debugger/events"}) {
        // a different answer for a valid game key would tell a guesser the key is valid
        HttpResponse<Buffer> apiKey = get(service, path, TestService.KEY);
        HttpResponse<Buffer> unknown = get(service, path, "not-a-known-token");
        for (HttpResponse<Buffer> refused : List.of(apiKey, unknown)) {
          assertThat(refused.statusCode()).as(path).isEqualTo(401);
          assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(refused.getHeader("WWW-Authenticate"))
              .isEqualTo("Bearer error=\"invalid_token\", error_description=\"unknown admin token\"");
        }
        JsonObject keyBody = apiKey.bodyAsJsonObject();
        JsonObject unknownBody = unknown.bodyAsJsonObject();
        keyBody.remove("request_id");
        unknownBody.remove("request_id");
        assertThat(keyBody).isEqualTo(unknownBody);
        assertThat(keyBody.getString("detail"))
            .isEqualTo("unknown admin token; the debugger takes an admin token (admin.tokens)");
      }
      assertThat(get(service, "/debugger/events", null).statusCode()).isEqualTo(401);
      try (SseStream stream = open(vertx, service, "/debugger/events")) {
        assertThat(stream.status()).isEqualTo(200);
      }
      // the page itself holds no data: a browser loads it, then the token goes in the stream's header
      HttpResponse<Buffer> page = get(service, "/debugger", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.getHeader("Content-Type")).startsWith("text/html");
      assertThat(page.bodyAsString()).contains("Admin token").contains("/debugger/debugger.js");
      assertThat(get(service, "/debugger", ADMIN_TOKEN).statusCode()).isEqualTo(200);
      assertThat(get(service, "/debugger/debugger.js", null).bodyAsString()).contains("Authorization");
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void wrongAdminTokensAreThrottledPerAddressWith429AndRetryAfter(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c);
    try {
      for (int i = 0; i < FailedAttempts.BURST; i++) {
        assertThat(get(service, "/debugger/events", "guess-" + i, 10).statusCode()).as("guess %d", i).isEqualTo(401);
      }
      HttpResponse<Buffer> throttled = get(service, "/debugger/events", "guess-next", 10);
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isBetween(1L, FailedAttempts.REFILL_SECONDS);
      assertThat(throttled.bodyAsJsonObject().getString("type"))
          .isEqualTo("urn:game-events:problem:too-many-failed-attempts");
      // while throttled, nothing from this address is checked, not even the right token
      assertThat(get(service, "/debugger/events", ADMIN_TOKEN, 10).statusCode()).isEqualTo(429);
      assertThat(get(service, "/debugger", ADMIN_TOKEN, 10).statusCode()).isEqualTo(429);
      // the page without a credential is no guess, and still loads
      assertThat(get(service, "/debugger", null, 10).statusCode()).isEqualTo(200);
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void noCredentialAppearsInTheStreamOnlyTheKeyId(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> {
      c.getJsonObject("auth").getJsonArray("api_keys").add(new JsonObject().put("id", "studio-key")
          .put("key", DISTINCTIVE_KEY).put("app_ids", new JsonArray().add(TestService.APP)));
      return c.put("debugger", new JsonObject().put("show_properties", true));
    });
    try (SseStream stream = open(vertx, service, "/debugger/events")) {
      JsonObject bad = install(newId());
      bad.remove("occurred_at");
      assertThat(service.post("/v1/events/install", DISTINCTIVE_KEY).sendJsonObject(install(newId())).await(60, SECONDS)
          .statusCode()).isEqualTo(200);
      assertThat(service.post("/v1/events/install", DISTINCTIVE_KEY).sendJsonObject(bad).await(60, SECONDS)
          .statusCode()).isEqualTo(400);
      assertThat(service.post("/v1/batch", DISTINCTIVE_KEY).putHeader("X-Request-Id", DISTINCTIVE_KEY)
          .sendJsonObject(new JsonObject().put("events", new JsonArray().add(install(newId())))).await(60, SECONDS)
          .statusCode()).isEqualTo(200);
      assertThat(service.post("/v1/events/install", DISTINCTIVE_KEY + "-wrong").sendJsonObject(install(newId()))
          .await(60, SECONDS).statusCode()).isEqualTo(401);

      await().atMost(Duration.ofSeconds(15)).until(() -> stream.entries().size() >= 4);
      assertThat(stream.entries()).extracting(e -> e.getString("key_id"))
          .containsExactly("studio-key", "studio-key", "studio-key", null);
      assertThat(stream.raw()).doesNotContain(DISTINCTIVE_KEY).doesNotContain("Zq7distinctive")
          .doesNotContain(ADMIN_TOKEN).doesNotContain(TestService.KEY);
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void withAManagementPortTheDebuggerIsServedThereOnly(Vertx vertx) throws Exception {
    int managementPort = TestService.freePort();
    TestService service = start(vertx, c -> {
      c.getJsonObject("http").put("management_port", managementPort);
      return c;
    });
    WebClient management = WebClient.create(vertx);
    try {
      assertThat(get(service, "/debugger", null).statusCode()).isEqualTo(404);
      assertThat(get(service, "/debugger/events", ADMIN_TOKEN).statusCode()).isEqualTo(404);
      assertThat(management.get(managementPort, "127.0.0.1", "/debugger").send().await(60, SECONDS).statusCode()).isEqualTo(200);
      try (SseStream stream = SseStream.open(vertx, managementPort, "/debugger/events", ADMIN_TOKEN).await(60, SECONDS)) {
        assertThat(stream.status()).isEqualTo(200);
        String id = newId();
        assertThat(service.postJson("/v1/events/install", install(id)).await(60, SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !stream.entries().isEmpty());
        assertThat(stream.entries().get(0).getString("event_id")).isEqualTo(id);
      }
    } finally {
      management.close();
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void withoutAdminTokensTheDebuggerIsOff(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> {
      c.remove("admin");
      return c;
    });
    try {
      HttpResponse<Buffer> off = get(service, "/debugger/events", ADMIN_TOKEN);
      assertThat(off.statusCode()).isEqualTo(404);
      assertThat(off.bodyAsJsonObject().getString("detail")).contains("admin.tokens");
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void anAdminTokenThatIsAlsoAnApiKeyOrUnusableFailsStartUp() throws Exception {
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(TestService.KEY.getBytes(StandardCharsets.UTF_8)));
    AppConfig sameAsKey = config(new JsonObject().put("id", "ops").put("sha256", digest));
    assertThatThrownBy(() -> AdminTokens.from(sameAsKey.admin(), sameAsKey.auth()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("admin.tokens[0]: same key as auth.api_keys[0]; a game's API key must never open the debugger, "
            + "choose another admin token");
    assertThatThrownBy(() -> config(new JsonObject().put("id", "ops")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.tokens[0].key");
    assertThatThrownBy(() -> config(new JsonObject().put("id", "ops").put("key", "short")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 8 characters");
    AppConfig twice = config(new JsonObject().put("id", "a").put("key", "same-secret-1"));
    AppConfig both = AppConfig.from(TestService.config(java.nio.file.Path.of("target"), 0).put("admin",
        new JsonObject().put("tokens", new JsonArray().add(new JsonObject().put("id", "a").put("key", "same-secret-1"))
            .add(new JsonObject().put("id", "b").put("key", "same-secret-1")))));
    assertThat(AdminTokens.from(twice.admin(), twice.auth()).authenticate("Bearer same-secret-1")).isEqualTo("a");
    assertThatThrownBy(() -> AdminTokens.from(both.admin(), both.auth()))
        .hasMessage("admin.tokens[1]: same key as admin.tokens[0]");
    assertThat(AdminConfig.NONE.tokens()).isEmpty();
  }

  private static AppConfig config(JsonObject token) {
    return AppConfig.from(TestService.config(java.nio.file.Path.of("target"), 0)
        .put("admin", new JsonObject().put("tokens", new JsonArray().add(token))));
  }

  private static HttpResponse<Buffer> get(TestService service, String path, String bearer, long timeoutSeconds)
      throws Exception {
    var request = service.client.get(path).timeout(timeoutSeconds * 1000);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return request.send().await(timeoutSeconds, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> get(TestService service, String path, String bearer) throws Exception {
    var request = service.client.get(path);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return request.send().await(60, SECONDS);
  }
}
