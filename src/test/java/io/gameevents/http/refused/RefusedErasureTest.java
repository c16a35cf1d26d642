package io.gameevents.http.refused;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.config.RefusedConfig;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.privacy.Suppressions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class RefusedErasureTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final Subject ALICE = new Subject("game-a", Subject.Kind.PLAYER, "alice");

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(60, SECONDS);
  }

  /** A refused record as the edge writes it, of an event of {@code player} (and {@code device} in its context). */
  private static String refused(String app, String player, String device, int n) {
    JsonObject event = new JsonObject().put("event_id", "e-" + n).put("event_type", "purchase").put("app_id", app);
    if (player != null) {
      event.put("player_id", player);
    }
    // a player_id in the properties is someone's property, not the event's owner
    event.put("properties", new JsonObject().put("player_id", "alice").put("currency", "eur"));
    if (device != null) {
      event.put("context", new JsonObject().put("os", "Android").put("device_id", device));
    }
    return new String(record(app, event.encode().getBytes(StandardCharsets.UTF_8), n, 1024), StandardCharsets.UTF_8);
  }

  private static byte[] record(String app, byte[] payload, int n, int maxPayloadBytes) {
    return new RefusedRecord(T0, "r-" + n, "key-1", app, "purchase", "e-" + n, 1, "1.0", "sdk", "1.0",
        "invalid-event", new JsonArray().add(new JsonObject().put("pointer", "/currency").put("message", "x")),
        payload).encode(maxPayloadBytes);
  }

  private RefusedStore store(Path root) {
    RefusedConfig config = new RefusedConfig(true, new RateLimitConfig(1, 1000), 1 << 24, 14, 1024, 10_000, 20);
    FileSinkConfig files = new FileSinkConfig(root.toString(), FileSinkConfig.REFUSED_STREAM, 1 << 20, 300, false);
    return new RefusedStore(config, v -> new FileSink(v, files, Clock.systemUTC()), root, 100,
        new SimpleMeterRegistry(), System::nanoTime, Suppressions.NONE);
  }

  private static String content(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    if (file.toString().endsWith(".gz")) {
      bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<String> lines(Path root) throws Exception {
    List<String> lines = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        assertThat(file.getFileName().toString()).doesNotEndWith(".erasing").doesNotEndWith(".inprogress");
        for (String line : content(file).split("\n")) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }

  @Test
  void sealedPlainAndGzipFilesAndTheFileInProgressLoseTheSubjectsRefusedEventsAndNothingElse() throws Exception {
    Path root = dir.resolve("refused");
    Path hour = Files.createDirectories(root.resolve("2026/12/07/09"));
    List<String> plain = List.of(refused("game-a", "bob", "d-bob", 1), refused("game-a", "alice", "d-alice", 2),
        refused("game-b", "alice", null, 3), refused("game-a", null, "d-alice", 4));
    Files.writeString(hour.resolve("refused-2026-12-07-09-00-00-a.ndjson"), String.join("\n", plain) + "\n");
    List<String> gzip = List.of(refused("game-a", "alice", null, 5), refused("game-a", "carol", null, 6));
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
      out.write((String.join("\n", gzip) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.write(hour.resolve("refused-2026-12-07-09-05-00-b.ndjson.gz"), zipped.toByteArray());
    // not readable as an event: kept, and said so in the note
    String notJson = new String(record("game-a", "alice sent this, not JSON".getBytes(StandardCharsets.UTF_8), 7,
        1024), StandardCharsets.UTF_8);
    String base64 = new String(record("game-a", new byte[] {(byte) 0xff, 'a', 'l', 'i', 'c', 'e'}, 8, 1024),
        StandardCharsets.UTF_8);
    // cut short after its player_id: still alice's
    String cut = new String(record("game-a", ("{\"event_id\":\"e-9\",\"app_id\":\"game-a\",\"player_id\":\"alice\","
        + "\"properties\":{\"note\":\"" + "x".repeat(200) + "\"}}").getBytes(StandardCharsets.UTF_8), 9, 80),
        StandardCharsets.UTF_8);
    RefusedStore store = store(root);
    List<String> inProgress = List.of(refused("game-a", "dave", null, 10), refused("game-a", "alice", null, 11),
        notJson, base64, cut);
    try (AutoCloseable opened = store.open(vertx)) {
      RefusedStore.Writer writer = store.writer(vertx);
      writer.start().await(60, SECONDS);
      assertThat(writer.keep(inProgress.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList())
          .await(60, SECONDS)).isTrue();
      ErasableStore erasable = store.erasable(CLOCK).orElseThrow();

      StoreReceipt receipt = erasable.erase(ALICE);

      assertThat(receipt.store()).isEqualTo("refused");
      assertThat(receipt.recordsRemoved()).isEqualTo(4); // e-2, e-5, e-11, e-9 (cut)
      assertThat(receipt.filesRewritten()).isEqualTo(3);
      assertThat(receipt.finishedAt()).isEqualTo(T0);
      assertThat(receipt.note()).contains("1 file(s) in progress sealed first")
          .contains("2 refused record(s) of this app kept").doesNotContain("alice");
      String after = refused("game-a", "erin", null, 12);
      assertThat(writer.keep(List.of(after.getBytes(StandardCharsets.UTF_8))).await(60, SECONDS)).isTrue();
      writer.close().await(60, SECONDS);
    }

    List<String> expected = new ArrayList<>();
    expected.addAll(List.of(plain.get(0), plain.get(2), plain.get(3), gzip.get(1), inProgress.get(0), notJson, base64,
        refused("game-a", "erin", null, 12)));
    assertThat(lines(root)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aDeviceSubjectMatchesTheEventsContextDeviceId() throws Exception {
    Path root = dir.resolve("refused");
    Files.createDirectories(root);
    List<String> lines = List.of(refused("game-a", "bob", "d-alice", 1), refused("game-a", "alice", null, 2),
        refused("game-a", "carol", "d-carol", 3));
    Files.writeString(root.resolve("refused-2026-12-07-09-00-00-a.ndjson"), String.join("\n", lines) + "\n");

    StoreReceipt receipt = store(root).erasable(CLOCK).orElseThrow()
        .erase(new Subject("game-a", Subject.Kind.DEVICE, "d-alice"));

    assertThat(receipt.recordsRemoved()).isEqualTo(1);
    assertThat(lines(root)).containsExactly(lines.get(1), lines.get(2));
  }

  @Test
  void aNodeWithoutARefusedTreeHasNoStore() {
    assertThat(RefusedStore.off(new SimpleMeterRegistry()).erasable(CLOCK)).isEmpty();
  }
}
