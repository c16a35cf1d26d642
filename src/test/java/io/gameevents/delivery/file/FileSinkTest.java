package io.gameevents.delivery.file;

import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.support.TestService.SinkFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class FileSinkTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:15:30Z");

  private static byte[] record(int n) {
    return new JsonObject().put("event_id", "e-" + n).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static List<Path> files(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void writesNdjsonUnderTheHourlyLayoutAndPublishesOnClose(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1 << 20, 300, false),
        Clock.fixed(T0, ZoneOffset.UTC));
    vertx.runOnContext(v -> sink.start()
        .compose(started -> sink.write(List.of(record(1), record(2)), 0))
        .compose(written -> {
          ctx.verify(() -> {
            assertThat(written.deliveredCount()).isEqualTo(2);
            List<Path> open = files(dir);
            assertThat(open).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                .startsWith(".events-2026-11-24-10-15-30-").endsWith(".ndjson.inprogress"));
          });
          return sink.close();
        })
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          List<Path> published = files(dir);
          assertThat(published).singleElement().satisfies(p -> {
            assertThat(dir.relativize(p.getParent()).toString()).isEqualTo("2026/11/24/10");
            assertThat(p.getFileName().toString()).matches("events-2026-11-24-10-15-30-[0-9a-f-]{36}\\.ndjson");
            assertThat(Files.readString(p)).isEqualTo("{\"event_id\":\"e-1\"}\n{\"event_id\":\"e-2\"}\n");
          });
          ctx.completeNow();
        }))));
  }

  @Test
  void rotatesBySize(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1024, 300, false),
        Clock.fixed(T0, ZoneOffset.UTC));
    byte[] big = ("{\"pad\":\"" + "x".repeat(1100) + "\"}").getBytes(StandardCharsets.UTF_8);
    vertx.runOnContext(v -> sink.start()
        .compose(s -> sink.write(List.of(big), 0))
        .compose(w -> sink.write(List.of(big), 0))
        .compose(w -> sink.write(List.of(big), 0))
        .compose(w -> sink.close())
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertThat(files(dir)).hasSize(3).allSatisfy(p -> assertThat(p.toString()).endsWith(".ndjson"));
          assertThat(SinkFiles.records(dir)).hasSize(3);
          ctx.completeNow();
        }))));
  }

  @Test
  void rotatesByAgeAndAtTheHour(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    MovableClock clock = new MovableClock(T0);
    FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1 << 20, 60, false), clock);
    vertx.runOnContext(v -> sink.start()
        .compose(s -> sink.write(List.of(record(1)), 0))
        .compose(w -> {
          clock.now = T0.plusSeconds(30); // same file
          return sink.write(List.of(record(2)), 0);
        })
        .compose(w -> {
          clock.now = T0.plusSeconds(61); // older than rotate_seconds: new file
          return sink.write(List.of(record(3)), 0);
        })
        .compose(w -> {
          clock.now = Instant.parse("2026-11-24T11:00:01Z"); // a new hour: new directory
          return sink.write(List.of(record(4)), 0);
        })
        .compose(w -> sink.close())
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          List<Path> files = files(dir);
          assertThat(files).hasSize(3);
          assertThat(files).extracting(p -> dir.relativize(p.getParent()).toString())
              .containsExactly("2026/11/24/10", "2026/11/24/10", "2026/11/24/11");
          assertThat(SinkFiles.records(dir)).extracting(r -> r.getString("event_id"))
              .containsExactlyInAnyOrder("e-1", "e-2", "e-3", "e-4");
          ctx.completeNow();
        }))));
  }

  @Test
  void recoveryCutsATornGzipMember(@TempDir Path dir) throws Exception {
    Path hour = Files.createDirectories(dir.resolve("2026/11/24/10"));
    Path leftover = hour.resolve(".events-2026-11-24-10-15-30-abc.ndjson.gz.inprogress");
    byte[] first = gzip("{\"event_id\":\"e-1\"}\n");
    byte[] second = gzip("{\"event_id\":\"e-2\"}\n");
    byte[] torn = java.util.Arrays.copyOf(gzip("{\"event_id\":\"e-3\"}\n"), 12);
    Files.write(leftover, concat(first, second, torn));
    assertThat(FileSink.recoverInProgressFiles(dir)).isEqualTo(1);
    Path published = hour.resolve("events-2026-11-24-10-15-30-abc.ndjson.gz");
    assertThat(Files.size(published)).isEqualTo(first.length + second.length);
    assertThat(SinkFiles.records(dir)).extracting(r -> r.getString("event_id")).containsExactly("e-1", "e-2");
  }

  @Test
  void recoveryLeavesALinkNamedLikeAnInProgressFileAndItsTargetAlone(@TempDir Path dir, @TempDir Path outside)
      throws Exception {
    Path hour = Files.createDirectories(dir.resolve("2026/11/24/10"));
    Path target = Files.writeString(outside.resolve("precious.txt"), "not ours\nno newline at the end");
    Path link = Files.createSymbolicLink(hour.resolve(".events-2026-11-24-10-15-30-abc.ndjson.inprogress"), target);
    Path directory = Files.createDirectories(hour.resolve(".events-2026-11-24-10-15-31-def.ndjson.inprogress"));
    Path real = Files.writeString(hour.resolve(".events-2026-11-24-10-15-32-ghi.ndjson.inprogress"),
        "{\"event_id\":\"e-1\"}\n{\"torn");

    assertThat(FileSink.recoverInProgressFiles(dir)).isEqualTo(1);

    assertThat(Files.readString(target)).isEqualTo("not ours\nno newline at the end");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(directory).isDirectory();
    assertThat(real).doesNotExist();
    assertThat(Files.readString(hour.resolve("events-2026-11-24-10-15-32-ghi.ndjson"))).isEqualTo("{\"event_id\":\"e-1\"}\n");
  }

  @Test
  void aSinkThatFailedBecomesReadyAgainWithoutWrites(Vertx vertx, VertxTestContext ctx, @TempDir Path dir)
      throws Exception {
    Path root = dir.resolve("events");
    FileSink sink = new FileSink(vertx, new FileSinkConfig(root.toString(), "events", 1 << 20, 300, false),
        Clock.fixed(T0, ZoneOffset.UTC));
    vertx.runOnContext(v -> sink.start()
        .compose(started -> {
          try { // the directory is replaced by a file: writes fail
            Files.delete(root);
            Files.writeString(root, "not a directory");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return sink.write(List.of(record(1)), 0);
        })
        .onComplete(failed -> {
          ctx.verify(() -> {
            assertThat(failed.failed()).isTrue();
            assertThat(sink.health().ready()).isFalse();
            assertThat(sink.health().detail()).startsWith("cannot write to");
            Files.delete(root); // the operator fixes it; no write arrives (/ready keeps traffic away)
          });
          vertx.setPeriodic(100, id -> {
            if (sink.health().ready()) {
              vertx.cancelTimer(id);
              sink.close().onComplete(ctx.succeedingThenComplete());
            }
          });
        }));
  }

  private static byte[] gzip(String text) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part);
    }
    return out.toByteArray();
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aShorterWriteAfterALongerOneAddsOnlyItsOwnRecords(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    // the encoding buffer is kept between writes: nothing of the longer write may follow the shorter one
    FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1 << 20, 300, false),
        Clock.fixed(T0, ZoneOffset.UTC));
    byte[] big = ("{\"event_id\":\"big\",\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    vertx.runOnContext(v -> sink.start()
        .compose(s -> sink.write(List.of(big, record(1)), 0))
        .compose(w -> sink.write(List.of(record(2)), 0))
        .compose(w -> sink.write(List.of(record(3), record(4)), 0))
        .compose(w -> sink.close())
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertThat(Files.readString(files(dir).get(0))).isEqualTo(new String(big, StandardCharsets.UTF_8)
              + "\n{\"event_id\":\"e-1\"}\n{\"event_id\":\"e-2\"}\n{\"event_id\":\"e-3\"}\n{\"event_id\":\"e-4\"}\n");
          ctx.completeNow();
        }))));
  }

  @Test
  void gzipFilesAreValidAfterEveryCommit(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    FileSink sink = new FileSink(vertx, new FileSinkConfig(dir.toString(), "events", 1 << 20, 300, true),
        Clock.fixed(T0, ZoneOffset.UTC));
    vertx.runOnContext(v -> sink.start()
        .compose(s -> sink.write(List.of(record(1)), 0))
        .compose(w -> {
          // readable while still in progress: each commit is a complete gzip member
          ctx.verify(() -> assertThat(SinkFiles.records(dir)).hasSize(1));
          return sink.write(List.of(record(2), record(3)), 0);
        })
        .compose(w -> sink.close())
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertThat(files(dir)).singleElement().satisfies(p -> assertThat(p.toString()).endsWith(".ndjson.gz"));
          assertThat(SinkFiles.records(dir)).extracting(r -> r.getString("event_id")).containsExactly("e-1", "e-2", "e-3");
          ctx.completeNow();
        }))));
  }

  @Test
  void recoveryPublishesLeftoverFilesWithoutTheTornTail(@TempDir Path dir) throws Exception {
    Path hour = Files.createDirectories(dir.resolve("2026/11/24/10"));
    Path leftover = hour.resolve(".events-2026-11-24-10-15-30-abc.ndjson.inprogress");
    Files.writeString(leftover, "{\"event_id\":\"e-1\"}\n{\"event_id\":\"e-2\"}\n{\"event_id\":\"e-");
    assertThat(FileSink.recoverInProgressFiles(dir)).isEqualTo(1);
    Path published = hour.resolve("events-2026-11-24-10-15-30-abc.ndjson");
    assertThat(Files.readString(published)).isEqualTo("{\"event_id\":\"e-1\"}\n{\"event_id\":\"e-2\"}\n");
    assertThat(Files.exists(leftover)).isFalse();
  }
}
