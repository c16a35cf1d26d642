package io.gameevents;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseDouble.Outage;
import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second process started on a directory that a running node writes refuses with one line naming
 * the config key, and touches nothing there: the running node's open spool segment and dedup
 * journal are left as they are (same files, same bytes) and it keeps answering. FatJarIT does the
 * same for the file sink's directory. The lock is taken before any recovery, so a running node's
 * open files are never taken for a crashed run's.
 */
class DataDirectoryLockIT {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Vertx vertx;
  private FirehoseDouble firehose;
  private JarNode first;

  @AfterEach
  void stop() throws Exception {
    if (first != null) {
      first.destroy();
    }
    if (firehose != null) {
      firehose.close().await(60, SECONDS);
      vertx.close().await(60, SECONDS);
    }
  }

  @Test
  void aSecondNodeOnARunningNodesSpoolRefusesAndLeavesItsOpenSegmentAlone(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS); // the events stay in the spool's open segment
    first = spooling(JarNode.single(dir.resolve("first")).withTestAwsCredentials()).start();
    assertThat(send(first)).isEqualTo(200);
    Path spool = dir.resolve("first").resolve("spool");
    Map<String, Long> before = files(spool);
    assertThat(before.keySet()).anyMatch(name -> name.endsWith(".inprogress"));

    JarNode second = spooling(JarNode.single(dir.resolve("second")).withTestAwsCredentials());
    second.config().getJsonObject("spool").put("directory", spool.toString());
    assertRefused(second, "spool.directory");
    assertThat(files(spool)).isEqualTo(before);
    assertThat(send(first)).isEqualTo(200);
  }

  @Test
  void aSecondNodeOnARunningNodesDedupDirectoryRefusesAndLeavesItsJournalAlone(@TempDir Path dir) throws Exception {
    first = JarNode.single(dir.resolve("first"));
    first.config().getJsonObject("dedup").put("journal_flush_ms", 100);
    first.start();
    assertThat(send(first)).isEqualTo(200);
    Path dedup = dir.resolve("first").resolve("dedup");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> files(dedup).values().stream().anyMatch(size -> size > 0));
    Map<String, Long> before = files(dedup);

    JarNode second = JarNode.single(dir.resolve("second"));
    second.config().getJsonObject("dedup").put("directory", dedup.toString());
    assertRefused(second, "dedup.directory");
    assertThat(files(dedup)).isEqualTo(before);
    assertThat(send(first)).isEqualTo(200);
  }

  private JarNode spooling(JarNode node) {
    node.config().getJsonObject("delivery").put("sink", "firehose").put("firehose", new JsonObject()
        .put("stream_name", FirehoseDouble.STREAM).put("endpoint_override", firehose.endpoint())
        .put("retry_base_ms", 10).put("retry_max_ms", 200));
    node.config().getJsonObject("spool").put("segment_seconds", 3600); // the running node's own rotation waits
    return node;
  }

  private static void assertRefused(JarNode second, String key) throws Exception {
    assertThat(second.startAndExit(Duration.ofSeconds(30))).isNotZero();
    assertThat(second.log().trim()).startsWith("game-events: failed to start: config key '" + key + "' (")
        .endsWith(") is in use by another running game-events node: give each node its own directory");
  }

  private int send(JarNode node) throws Exception {
    HttpResponse<String> response = http.send(node.post(TestService.install(TestService.newId()),
        Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  /** Every file under {@code root} (the lock file aside) with its size. */
  private static Map<String, Long> files(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().equals(".lock")) {
          files.put(root.relativize(file).toString(), Files.size(file));
        }
      }
    }
    return files;
  }
}
