package io.gameevents.delivery.file;

import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final Subject ALICE = new Subject("game-a", Subject.Kind.PLAYER, "alice");

  @TempDir
  Path root;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  /** A record as the service writes it; {@code n} makes each one distinct, the key order varies like real ones. */
  private static String record(String app, String player, String device, int n) {
    JsonObject record = new JsonObject().put("event_id", "e-" + n).put("event_type", "level_up");
    if (player != null) {
      record.put("player_id", player);
    }
    record.put("app_id", app);
    if (device != null) {
      record.put("device_id", device);
    }
    // a nested player_id is someone's property, not the record's owner
    return record.put("properties", new JsonObject().put("player_id", "alice").put("level", n)).encode();
  }

  /** A lake of three sealed files (plain, gzip of several members, one of alice's records only). */
  private Map<Path, List<String>> sealedLake() throws IOException {
    Map<Path, List<String>> files = new HashMap<>();
    Path hour = Files.createDirectories(root.resolve("2026/11/24/09"));
    files.put(hour.resolve("events-2026-11-24-09-00-00-a.ndjson"), List.of(
        record("game-a", "bob", "d-bob", 1), record("game-a", "alice", "d-alice", 2),
        record("game-b", "alice", null, 3), record("game-a", null, "d-alice", 4), record("game-a", "carol", null, 5)));
    files.put(hour.resolve("events-2026-11-24-09-05-00-b.ndjson.gz"), List.of(
        record("game-a", "alice", null, 6), record("game-a", "bob", null, 7), record("game-a", "alice", null, 8),
        record("game-a", "dave", null, 9)));
    files.put(hour.resolve("events-2026-11-24-09-10-00-c.ndjson"), List.of(record("game-a", "alice", null, 10)));
    for (Map.Entry<Path, List<String>> file : files.entrySet()) {
      write(file.getKey(), file.getValue());
    }
    return files;
  }

  private static void write(Path file, List<String> lines) throws IOException {
    if (!file.toString().endsWith(".gz")) {
      Files.writeString(file, String.join("\n", lines) + "\n");
      return;
    }
    // one gzip member per line, as the sink writes one per commit
    var out = new java.io.ByteArrayOutputStream();
    for (String line : lines) {
      try (GZIPOutputStream member = new GZIPOutputStream(out) {
        @Override
        public void close() throws IOException {
          finish();
        }
      }) {
        member.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.write(file, out.toByteArray());
  }

  private static String content(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (file.toString().endsWith(".gz")) {
      bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String without(List<String> lines, Subject subject) {
    StringBuilder kept = new StringBuilder();
    for (String line : lines) {
      JsonObject record = new JsonObject(line);
      if (!subject.matches(record.getString("app_id"), record.getString("player_id"), record.getString("device_id"))) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  private List<Path> allFiles() throws IOException {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void rewritesSealedPlainAndGzipFilesWithoutTheSubjectKeepingEveryoneElseByteForByte() throws Exception {
    Map<Path, List<String>> lake = sealedLake();

    StoreReceipt receipt = new LakeStore(root, CLOCK).erase(ALICE);

    assertThat(receipt.store()).isEqualTo("lake");
    assertThat(receipt.recordsRemoved()).isEqualTo(4); // e-2, e-6, e-8, e-10: not game-b's alice, nor a device-only record
    assertThat(receipt.filesRewritten()).isEqualTo(3);
    assertThat(receipt.finishedAt()).isEqualTo(T0);
    assertThat(receipt.note()).doesNotContain("alice");
    for (Map.Entry<Path, List<String>> file : lake.entrySet()) {
      String expected = without(file.getValue(), ALICE);
      if (expected.isEmpty()) {
        assertThat(file.getKey()).doesNotExist();
      } else {
        assertThat(content(file.getKey())).isEqualTo(expected);
      }
    }
    assertThat(allFiles()).hasSize(2); // no copy left behind
  }

  @Test
  void theConfiguredFileSinksDirectoryIsTheLakeAndAFirehoseNodeHasNone() throws Exception {
    sealedLake();
    var files = new io.gameevents.delivery.ConfiguredSink<>(FileSinkType.TYPE,
        new FileSinkConfig(root.toString(), "events", 1 << 20, 300, false));

    assertThat(LakeStore.of(files, CLOCK)).hasValueSatisfying(lake -> {
      try {
        assertThat(lake.erase(ALICE).recordsRemoved()).isEqualTo(4);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(LakeStore.of(new io.gameevents.delivery.ConfiguredSink<>(
        io.gameevents.delivery.firehose.FirehoseSinkType.TYPE, null), CLOCK)).isEmpty();
  }

  @Test
  void aDeviceSubjectErasesByDeviceId() throws Exception {
    Map<Path, List<String>> lake = sealedLake();
    Subject device = new Subject("game-a", Subject.Kind.DEVICE, "d-alice");

    StoreReceipt receipt = new LakeStore(root, CLOCK).erase(device);

    assertThat(receipt.recordsRemoved()).isEqualTo(2); // e-2 and e-4
    Path plain = root.resolve("2026/11/24/09/events-2026-11-24-09-00-00-a.ndjson");
    assertThat(content(plain)).isEqualTo(without(lake.get(plain), device));
  }

  @Test
  void aSecondRunFindsNothingAndTouchesNothing() throws Exception {
    sealedLake();
    LakeStore store = new LakeStore(root, CLOCK);
    store.erase(ALICE);
    Map<Path, Long> modified = new HashMap<>();
    for (Path file : allFiles()) {
      modified.put(file, Files.getLastModifiedTime(file).toMillis());
    }

    StoreReceipt again = store.erase(ALICE);

    assertThat(again.recordsRemoved()).isZero();
    assertThat(again.filesRewritten()).isZero();
    for (Path file : allFiles()) {
      assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified.get(file));
    }
  }

  /**
   * The crash seam: the rewrite dies after its copy is durable and before the rename, on the second file. Every file
   * is then the old one or the new one, with all of everyone else's records; a rerun removes the rest.
   */
  @Test
  void aCrashBeforeTheRenameLosesNothingOfOthersAndARerunFinishes() throws Exception {
    Map<Path, List<String>> lake = sealedLake();
    AtomicInteger replacements = new AtomicInteger();
    LakeStore crashing = new LakeStore(root, CLOCK, file -> {
      if (replacements.incrementAndGet() == 2) {
        throw new IOException("killed between fsync and rename");
      }
    });

    assertThatThrownBy(() -> crashing.erase(ALICE)).hasMessageContaining("killed");

    List<String> othersLeft = new ArrayList<>();
    int untouched = 0;
    for (Map.Entry<Path, List<String>> file : lake.entrySet()) {
      String original = String.join("\n", file.getValue()) + "\n";
      String erased = without(file.getValue(), ALICE);
      if (!Files.exists(file.getKey())) {
        assertThat(erased).isEmpty();
        continue;
      }
      String now = content(file.getKey());
      assertThat(now).isIn(original, erased);
      untouched += now.equals(original) ? 1 : 0;
      othersLeft.addAll(List.of(without(List.of(now.split("\n")), ALICE).split("\n")));
    }
    assertThat(untouched).isGreaterThanOrEqualTo(1);
    List<String> everyoneElse = new ArrayList<>();
    lake.values().forEach(lines -> everyoneElse.addAll(List.of(without(lines, ALICE).split("\n"))));
    everyoneElse.removeIf(String::isEmpty);
    othersLeft.removeIf(String::isEmpty);
    assertThat(othersLeft).containsExactlyInAnyOrderElementsOf(everyoneElse);
    assertThat(allFiles()).anyMatch(f -> f.getFileName().toString().endsWith(".erasing"));

    StoreReceipt rerun = new LakeStore(root, CLOCK).erase(ALICE);

    assertThat(rerun.recordsRemoved()).isPositive();
    for (Map.Entry<Path, List<String>> file : lake.entrySet()) {
      String expected = without(file.getValue(), ALICE);
      if (expected.isEmpty()) {
        assertThat(file.getKey()).doesNotExist();
      } else {
        assertThat(content(file.getKey())).isEqualTo(expected);
      }
    }
    assertThat(allFiles()).noneMatch(f -> f.getFileName().toString().endsWith(".erasing"));
  }

  @Test
  void theFileInProgressIsSealedOnItsWriterAndRewrittenAndTheSinkWritesOnAfterwards() throws Exception {
    for (boolean gzip : new boolean[] {false, true}) {
      Path dir = root.resolve(gzip ? "gzip" : "plain");
      FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1 << 20, 300, gzip), CLOCK);
      await(sink.start());
      List<String> written = List.of(record("game-a", "bob", null, 1), record("game-a", "alice", null, 2),
          record("game-a", "carol", null, 3));
      await(sink.write(written.stream().map(line -> line.getBytes(StandardCharsets.UTF_8)).toList(), 0));
      try (var walk = Files.walk(dir)) {
        assertThat(walk.filter(Files::isRegularFile).toList()).singleElement()
            .satisfies(f -> assertThat(f.getFileName().toString()).endsWith(".inprogress"));
      }

      StoreReceipt receipt = new LakeStore(dir, CLOCK).erase(ALICE);

      assertThat(receipt.recordsRemoved()).isEqualTo(1);
      assertThat(receipt.filesRewritten()).isEqualTo(1);
      String after = record("game-a", "bob", null, 4);
      await(sink.write(List.of(after.getBytes(StandardCharsets.UTF_8)), 0));
      await(sink.close());
      StringBuilder lake = new StringBuilder();
      try (var walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
          assertThat(file.getFileName().toString()).doesNotEndWith(".inprogress").doesNotEndWith(".erasing");
          lake.append(content(file));
        }
      }
      // the two files share a name's timestamp (a fixed clock), so their order is the uuid's: compare the lines
      assertThat(lake.toString().split("\n"))
          .containsExactlyInAnyOrder((without(written, ALICE) + after).split("\n"));
    }
  }
}
