package io.gameevents;

import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 under sustained load, restart on the same data directory, and the clients re-send every
 * event they were not told 200 for (at-least-once). After the last restart: every acknowledged id
 * is in the sink, every line of every file is whole JSON, and an id stored twice is one that was
 * sent but not acknowledged when the process died (its answer lost in the crash window).
 *
 * <p>{@value #ROUNDS_PROPERTY} kills (3 in CI, 20 from bench/crash-loop.sh), each once a different,
 * seeded number of events is acknowledged; odd rounds write gzip files, so both kinds of torn tail
 * are recovered. Kills follow each other on the same directory: a recovery is recovered from too.
 */
class CrashRecoveryIT {

  static final String ROUNDS_PROPERTY = "crash.rounds";
  private static final int CLIENTS = 8;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  /** Sent and not (yet) answered 200: what a client re-sends after the restart. */
  private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
  /** Unacknowledged when a kill came: the only ids that may be stored twice. */
  private final Set<String> inTheCrashWindow = ConcurrentHashMap.newKeySet();
  private JarNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.destroy();
    }
  }

  @Test
  void killMinusNineUnderLoadLosesNoAcknowledgedEventAndLeavesNoTornLine(@TempDir Path dir) throws Exception {
    int rounds = Integer.getInteger(ROUNDS_PROPERTY, 3);
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    node = JarNode.single(dir);
    node.config().getJsonObject("delivery").put("linger_ms", 1).getJsonObject("file").put("rotate_bytes", 256 * 1024);
    List<String> moments = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      node.config().getJsonObject("delivery").getJsonObject("file").put("gzip", round % 2 == 1);
      node.start();
      resendUnacknowledged();
      int killAt = acknowledged.size() + 200 + random.nextInt(1_500);
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        clients.submit(() -> sendUntilStopped(running));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= killAt);
      running.set(false); // no new request after this one: the kill meets the ones in flight
      node.kill();
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      inTheCrashWindow.addAll(unacknowledged);
      moments.add(killAt + "/" + unacknowledged.size());
    }
    node.config().getJsonObject("delivery").getJsonObject("file").put("gzip", false);
    node.start();
    resendUnacknowledged();

    Map<String, Integer> stored = storedIds(dir.resolve("events"));
    List<String> copies = stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    System.out.printf("CRASH seed=%d rounds=%d kills at acknowledged/unacknowledged=%s acknowledged=%d stored=%d "
        + "copies=%d%n", seed, rounds, moments, acknowledged.size(), stored.size(), copies.size());
    assertThat(unacknowledged).isEmpty();
    assertThat(stored.keySet()).as("every acknowledged event is in the sink").containsAll(acknowledged);
    assertThat(copies).as("stored twice only if its answer was lost in a crash").allSatisfy(id ->
        assertThat(inTheCrashWindow).contains(id));
    assertThat(stored.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(rounds + 1));
  }

  /** One client: a new id each time; 200 is acknowledged, anything else is for the re-send. */
  private void sendUntilStopped(AtomicBoolean running) {
    while (running.get()) {
      String id = TestService.newId();
      unacknowledged.add(id);
      if (send(id)) {
        acknowledged.add(id);
        unacknowledged.remove(id);
      }
    }
  }

  /** After a restart: every id not acknowledged, until each is (accepted, or a duplicate of its stored copy). */
  private void resendUnacknowledged() {
    for (String id : List.copyOf(unacknowledged)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> send(id));
      acknowledged.add(id);
      unacknowledged.remove(id);
    }
  }

  private boolean send(String id) {
    try {
      JsonObject event = TestService.install(id);
      return http.send(node.post(event, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString())
          .statusCode() == 200;
    } catch (IOException e) {
      return false; // the node died under this request: its answer is lost
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Copies of each event id in every sink file; fails on any line that is not one whole JSON object. */
  private static Map<String, Integer> storedIds(Path events) throws IOException {
    Map<String, Integer> stored = new HashMap<>();
    try (Stream<Path> walk = Files.walk(events)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      // the running node has one open only if it stored something since its start: a resent event it finds already
      // stored (read back from the sink into the dedup journal at start-up) is a duplicate, written nowhere
      assertThat(files).as("every file a killed run left in progress is published; the running node has at most one")
          .filteredOn(f -> f.getFileName().toString().endsWith(".inprogress")).hasSizeLessThanOrEqualTo(1);
      for (Path file : files) {
        String name = file.getFileName().toString();
        byte[] bytes = Files.readAllBytes(file);
        if (name.contains(".gz")) {
          bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).as("%s ends with a whole line", file).endsWith("\n");
        for (String line : text.split("\n", -1)) {
          if (line.isEmpty()) {
            continue;
          }
          JsonObject record = new JsonObject(line); // a torn or corrupt line fails here
          assertThat(record.getString("event_id")).as("a record of %s", file).isNotNull();
          stored.merge(record.getString("event_id"), 1, Integer::sum);
        }
      }
    }
    return stored;
  }
}
