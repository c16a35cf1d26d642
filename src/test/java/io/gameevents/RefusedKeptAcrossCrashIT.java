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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "kept": true is as firm as a 200: kill -9 right after the 400 that said so, and the refused record is there,
 * published, once the node has started again on the same directory.
 */
class RefusedKeptAcrossCrashIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private JarNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroy();
    }
  }

  @Test
  void aRefusedEventAnsweredKeptSurvivesKillMinusNine(@TempDir Path dir) throws Exception {
    node = JarNode.single(dir);
    node.start();
    JsonObject event = TestService.purchase(TestService.newId()).put("currency", "eur");
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port + "/v1/events/purchase"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.KEY)
        .POST(HttpRequest.BodyPublishers.ofString(event.encode())).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    node.kill(); // at once: the file it was written to is still in progress, never closed nor renamed

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(answer.body()).getBoolean("kept")).isTrue();
    Path refused = dir.resolve("refused");
    assertThat(files(refused)).allSatisfy(name -> assertThat(name).endsWith(".inprogress"));

    node.start();
    node.kill();

    assertThat(files(refused)).singleElement().satisfies(name -> assertThat(name).startsWith("refused-").endsWith(".ndjson"));
    List<JsonObject> records = TestService.SinkFiles.records(refused);
    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.getString("event_id")).isEqualTo(event.getString("event_id"));
      assertThat(new JsonObject(record.getString("payload"))).isEqualTo(event);
      assertThat(record.getJsonArray("reasons").getJsonObject(0).getString("pointer")).isEqualTo("/currency");
    });
  }

  /** The names of the regular files in the refused tree. */
  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).toList();
    }
  }
}
