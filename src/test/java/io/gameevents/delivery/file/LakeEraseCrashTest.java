package io.gameevents.delivery.file;

import io.gameevents.privacy.Subject;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of a lake erasure: a child JVM erases a lake and is killed while a rewritten copy is durable
 * and not yet renamed (it parks there on the third file). No finally block runs; every file is then its old self or
 * its new one, with all of everyone else's records, and a second run leaves none of the subject's.
 */
class LakeEraseCrashTest {

  private static final Subject ALICE = new Subject("game-a", Subject.Kind.PLAYER, "alice");

  @TempDir
  Path work;

  /** The child: erases {@code args[0]}, writing {@code args[1]} and parking before its third rename. */
  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[1]);
    AtomicInteger replacements = new AtomicInteger();
    new LakeStore(Path.of(args[0]), Clock.systemUTC(), file -> {
      if (replacements.incrementAndGet() == 3) {
        Files.writeString(marker, file.toString());
        try {
          // parked until the test kills it; bounded, so an orphan ends by itself
          new CountDownLatch(1).await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("not killed within 120 s");
      }
    }).erase(ALICE);
  }

  private static String record(String player, int file, int n) {
    return new JsonObject().put("event_id", "e-" + file + "-" + n).put("player_id", player).put("app_id", "game-a")
        .encode();
  }

  @Test
  void aKilledRewriteLosesNothingOfOthersAndARerunFinishesIt() throws Exception {
    Path lake = work.resolve("events");
    Path hour = Files.createDirectories(lake.resolve("2026/11/24/09"));
    List<String> original = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      StringBuilder text = new StringBuilder();
      for (int n = 0; n < 200; n++) {
        String line = record(n % 3 == 0 ? "alice" : "player-" + n, f, n);
        text.append(line).append('\n');
        if (n % 3 != 0) {
          others.add(line);
        }
      }
      Files.writeString(hour.resolve("events-2026-11-24-09-0" + f + "-00-x.ndjson"), text);
      original.add(text.toString());
    }
    Path marker = work.resolve("parked");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LakeEraseCrashTest.class.getName(), lake.toString(), marker.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker) || !child.isAlive());
      assertThat(child.isAlive()).as("the child parked before its third rename: %s",
          Files.exists(work.resolve("child.log")) ? Files.readString(work.resolve("child.log")) : "").isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    List<String> left = new ArrayList<>();
    int rewritten = 0;
    for (int f = 0; f < 5; f++) {
      String now = Files.readString(hour.resolve("events-2026-11-24-09-0" + f + "-00-x.ndjson"));
      assertThat(now).isIn(original.get(f), withoutAlice(original.get(f)));
      rewritten += now.equals(original.get(f)) ? 0 : 1;
      left.addAll(List.of(now.split("\n")));
    }
    assertThat(rewritten).isEqualTo(2);
    assertThat(left.stream().filter(line -> !line.contains("\"alice\"")).toList()).containsExactlyElementsOf(others);
    try (var files = Files.list(hour)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".erasing"));
    }

    new LakeStore(lake, Clock.systemUTC()).erase(ALICE);

    for (int f = 0; f < 5; f++) {
      assertThat(Files.readString(hour.resolve("events-2026-11-24-09-0" + f + "-00-x.ndjson")))
          .isEqualTo(withoutAlice(original.get(f)));
    }
    try (var files = Files.list(hour)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".erasing"));
    }
  }

  private static String withoutAlice(String text) {
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.contains("\"alice\"")) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

}
