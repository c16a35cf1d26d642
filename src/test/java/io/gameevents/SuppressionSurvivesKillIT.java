package io.gameevents;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar: a suppression answered 202 is still in force after kill -9 and a restart on the same directory. */
class SuppressionSurvivesKillIT {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private JarNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroy();
    }
  }

  @Test
  void aSuppressionSurvivesKillMinusNine(@TempDir Path dir) throws Exception {
    node = JarNode.single(dir);
    node.start();
    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port + "/v1/privacy/requests"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("type", "suppress")
            .put("app_id", TestService.APP).put("player_id", "player_1").encode()))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    node.kill();
    node.start();

    String eventId = TestService.newId();
    HttpResponse<String> answer = http.send(node.post(TestService.install(eventId), Duration.ofSeconds(30)),
        HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(answer.body())).isEqualTo(new JsonObject().put("status", "duplicate")
        .put("event_id", eventId).put("suppressed", true));
    String other = TestService.newId();
    HttpResponse<String> stored = http.send(node.post(TestService.install(other).put("player_id", "player_2"),
        Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(stored.body()).getString("status")).isEqualTo("accepted");
  }
}
