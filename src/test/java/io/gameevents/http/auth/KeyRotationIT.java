package io.gameevents.http.auth;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Key rotation on the real jar: its config file is watched, and SIGHUP reloads it. */
class KeyRotationIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private JarNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroy();
    }
  }

  @Test
  void aChangedConfigFileIsPickedUpWithoutARestart(@TempDir Path dir) throws Exception {
    node = JarNode.single(dir).env("GAME_EVENTS_CONFIG_WATCH_SECONDS", "1").start();
    keys().add(new JsonObject().put("id", "new").put("key", "new-secret").put("app_ids", new JsonArray().add(TestService.APP)));
    node.writeConfig();

    await().atMost(Duration.ofSeconds(30)).until(() -> status("new-secret") == 200);
    assertThat(status(TestService.KEY)).isEqualTo(200);
  }

  @Test
  void sighupReloadsAndABrokenFileKeepsTheCurrentKeys(@TempDir Path dir) throws Exception {
    node = JarNode.single(dir).env("GAME_EVENTS_CONFIG_WATCH_SECONDS", "0").start(); // SIGHUP only
    keys().remove(0);
    keys().add(new JsonObject().put("id", "next").put("key", "next-secret").put("app_ids", new JsonArray().add(TestService.APP)));
    node.writeConfig();
    assertThat(status(TestService.KEY)).as("no watching: nothing changes before the signal").isEqualTo(200);

    node.hup();
    await().atMost(Duration.ofSeconds(30)).until(() -> status(TestService.KEY) == 401);
    assertThat(status("next-secret")).isEqualTo(200);

    Files.writeString(dir.resolve("config.json"), "{ not json");
    node.hup();
    await().atMost(Duration.ofSeconds(30)).until(() -> node.log().contains("credentials not reloaded"));
    assertThat(status("next-secret")).isEqualTo(200);
    assertThat(node.alive()).isTrue();
  }

  private JsonArray keys() {
    return node.config().getJsonObject("auth").getJsonArray("api_keys");
  }

  private int status(String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/v1/events/install"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(TestService.install(TestService.newId()).encode()))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
