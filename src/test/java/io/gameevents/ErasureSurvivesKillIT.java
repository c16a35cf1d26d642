package io.gameevents;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar, kill -9 in the middle of an erasure's lake rewrite: some files rewritten, others not yet. After the
 * restart the request (persisted before its 202) resumes and completes; no line of the player is left, every other
 * player's line is there byte for byte, and no copy of a crashed rewrite remains. (That one file is the old one or
 * the new one whatever instant the kill lands is {@code LakeEraseCrashTest}'s, which parks a child JVM there.)
 */
class ErasureSurvivesKillIT {

  private static final int FILES = 400;
  private static final int LINES = 40;

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
  void anErasureKilledMidRewriteCompletesAfterRestartAndNobodyElseLosesALine(@TempDir Path dir) throws Exception {
    String alice = "alice-" + TestService.newId();
    List<Path> files = seedLake(dir.resolve("events/2026/12/01/10"), alice);
    List<String> othersBefore = othersLines(dir.resolve("events"), alice);
    node = JarNode.single(dir);
    node.start();

    String requestId = "erase-" + TestService.newId();
    HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port + "/v1/privacy/requests"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("type", "erase").put("app_id", TestService.APP)
            .put("player_id", alice).put("request_id", requestId).encode()))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    // files are rewritten in path order: once the first has lost her lines, the kill lands mid-way
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
        .until(() -> !Files.readString(files.get(0)).contains(alice));
    node.kill();
    assertThat(Files.readString(files.get(FILES - 1))).as("the kill landed before the last file").contains(alice);

    node.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(report(requestId).getString("state")));
    List<String> after = new ArrayList<>();
    try (var walk = Files.walk(dir.resolve("events"))) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        assertThat(file.getFileName().toString()).doesNotEndWith(".erasing");
        after.addAll(lines(file));
      }
    }
    assertThat(after).noneMatch(line -> line.contains(alice)).containsExactlyInAnyOrderElementsOf(othersBefore);
  }

  /** {@code FILES} sealed files of {@code LINES} records each, a third of them hers. */
  private static List<Path> seedLake(Path hour, String alice) throws IOException {
    Files.createDirectories(hour);
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      StringBuilder content = new StringBuilder();
      for (int l = 0; l < LINES; l++) {
        String player = l % 3 == 0 ? alice : "player-" + (l % 7);
        content.append(new JsonObject().put("event_id", TestService.newId()).put("event_type", "install")
            .put("schema_version", 1).put("occurred_at", at.toString()).put("received_at", at.toString())
            .put("app_id", TestService.APP).put("player_id", player).put("platform", "ios").encode()).append('\n');
      }
      Path file = hour.resolve(String.format("events-2026-12-01-10-00-00-%04d.ndjson", f));
      Files.writeString(file, content);
      files.add(file);
    }
    return files;
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isEmpty()).toList();
  }

  private static List<String> othersLines(Path root, String alice) throws IOException {
    List<String> others = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        lines(file).stream().filter(l -> !l.contains(alice)).forEach(others::add);
      }
    }
    return others;
  }

  private JsonObject report(String requestId) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port + "/v1/privacy/requests/" + requestId))
        .header("Authorization", "Bearer " + TestService.ADMIN_TOKEN).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(answer.body());
  }
}
