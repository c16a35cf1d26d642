package io.gameevents.forward;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseDouble.Outage;
import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The spool of the real fat jar, killed with -9 while it forwards to the Firehose double. */
class SpoolIT {

  private static final int CONCURRENT_CALLS = 2;

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private FirehoseDouble firehose;
  private JarNode node;

  @BeforeEach
  void startDouble() throws Exception {
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (node != null) {
      node.destroy();
    }
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  /**
   * Events spooled during an outage, then kill -9 while the forwarder ships them. After a restart
   * every acknowledged event is at Firehose; the only copies are records past a segment's fsynced
   * checkpoint at the moment of the kill, i.e. of the last calls not yet confirmed.
   */
  @Test
  void killMinusNineMidForwardingLosesNothingAndResendsOnlyPastTheCheckpoints(@TempDir Path dir) throws Exception {
    node = JarNode.single(dir).withTestAwsCredentials();
    node.config().getJsonObject("delivery").put("sink", "firehose").put("firehose", new JsonObject()
        .put("stream_name", FirehoseDouble.STREAM).put("endpoint_override", firehose.endpoint())
        .put("max_concurrent_calls", CONCURRENT_CALLS).put("retry_base_ms", 10).put("retry_max_ms", 200));
    node.config().getJsonObject("http").put("max_batch_events", 100);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS);
    node.start();

    Set<String> acknowledged = new HashSet<>();
    for (int b = 0; b < 60; b++) {
      acknowledged.addAll(sendBatch(100));
    }
    firehose.latencyMs(150).outage(Outage.NONE).await(60, SECONDS);
    await().atMost(Duration.ofMinutes(1)).until(() -> firehose.records().size() >= 1_500);
    node.kill();
    int storedBeforeKill = firehose.records().size();
    Set<String> pastCheckpoints = recordsPastTheirCheckpoint(dir.resolve("spool"));

    firehose.latencyMs(0);
    node.start();
    await().atMost(Duration.ofMinutes(2)).until(() -> storedIds().keySet().containsAll(acknowledged));

    Map<String, Integer> stored = storedIds();
    List<String> copies = stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertThat(acknowledged).hasSize(6_000);
    assertThat(storedBeforeKill).as("killed mid-forwarding").isBetween(1_500, 5_999);
    assertThat(stored.keySet()).containsAll(acknowledged);
    assertThat(stored.values()).as("never more than one copy").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
    assertThat(pastCheckpoints).as("sent again after the restart: only what no fsynced checkpoint covered")
        .containsAll(copies);
    assertThat(copies.size()).as("at most the last unconfirmed call of each segment in flight")
        .isLessThanOrEqualTo(CONCURRENT_CALLS * 500);
    System.out.printf("SPOOL-KILL acknowledged=%d stored-before-kill=%d copies-after-restart=%d%n",
        acknowledged.size(), storedBeforeKill, copies.size());
  }

  private List<String> sendBatch(int size) throws Exception {
    JsonArray events = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      JsonObject event = TestService.install(TestService.newId());
      ids.add(event.getString("event_id"));
      events.add(event);
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port + "/v1/batch"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.KEY)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("events", events).encode()))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ids;
  }

  /** The event ids of every record past its segment's checkpoint (or in a segment not closed yet). */
  private static Set<String> recordsPastTheirCheckpoint(Path spool) throws IOException {
    Set<String> ids = new HashSet<>();
    try (Stream<Path> files = Files.walk(spool)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        boolean open = name.endsWith(".inprogress");
        if (!open && !name.endsWith(".ndjson")) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        int from = open ? 0 : (int) Checkpoint.read(file);
        for (String line : new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            ids.add(new JsonObject(line).getString("event_id"));
          }
        }
      }
    }
    return ids;
  }

  private Map<String, Integer> storedIds() {
    Map<String, Integer> counts = new HashMap<>();
    firehose.records().forEach(r -> counts.merge(new JsonObject(r.trim()).getString("event_id"), 1, Integer::sum));
    return counts;
  }
}
