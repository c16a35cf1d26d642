package io.gameevents.delivery.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a file sink's records back: its own files only, from a time on, top-level ids only. */
class FileSinkRecordsTest {

  private static final long NOW = 1_800_000_000_000L;

  private static String record(String appId, String eventId) {
    return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"install\",\"received_at\":\"2026-11-24T10:15:30.000Z\","
        + "\"app_id\":\"" + appId + "\",\"properties\":{\"event_id\":\"nested\",\"app_id\":\"nested\",\"n\":[1,{\"a\":2}]}}\n";
  }

  private static Path write(Path file, byte[] bytes, long modified) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
    return file;
  }

  private static byte[] gzip(String... members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String member : members) { // each write of the sink is a gzip member of its own
      try (GZIPOutputStream gz = new GZIPOutputStream(out) {
        @Override
        public void close() throws IOException {
          finish(); // end the member, keep the stream open for the next one
        }
      }) {
        gz.write(member.getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  private static List<String> read(Path root, long since) throws IOException {
    List<String> seen = new ArrayList<>();
    new FileSinkRecords(new FileSinkConfig(root.toString(), "game-events", 1 << 20, 300, false))
        .forEachSince(since, (appId, eventId, storedBy) -> seen.add(appId + "/" + eventId + "@" + storedBy));
    return seen;
  }

  @Test
  void readsTheIdsOfEveryRecordInItsOwnFilesModifiedSinceTheGivenTime(@TempDir Path root) throws IOException {
    Path hour = root.resolve("2026/11/24/10");
    write(hour.resolve("game-events-2026-11-24-10-15-30-a.ndjson"),
        (record("com.a", "1") + record("com.a", "2")).getBytes(StandardCharsets.UTF_8), NOW);
    write(hour.resolve("game-events-2026-11-24-10-16-30-b.ndjson.gz"),
        gzip(record("com.b", "3"), record("com.b", "4") + record("com.b", "5")), NOW + 1);
    write(hour.resolve(".game-events-2026-11-24-10-17-30-c.ndjson.inprogress"),
        record("com.c", "6").getBytes(StandardCharsets.UTF_8), NOW + 2);
    write(hour.resolve("game-events-2026-11-24-10-10-30-old.ndjson"),
        record("com.old", "7").getBytes(StandardCharsets.UTF_8), NOW - 1);

    assertThat(read(root, NOW)).containsExactlyInAnyOrder("com.a/1@" + NOW, "com.a/2@" + NOW, "com.b/3@" + (NOW + 1),
        "com.b/4@" + (NOW + 1), "com.b/5@" + (NOW + 1), "com.c/6@" + (NOW + 2));
    assertThat(read(root, NOW - 1)).contains("com.old/7@" + (NOW - 1)).hasSize(7);
  }

  @Test
  void neverReadsAnotherStreamAnotherTreeOrALink(@TempDir Path root, @TempDir Path elsewhere) throws IOException {
    byte[] one = record("com.x", "x").getBytes(StandardCharsets.UTF_8);
    write(root.resolve("2026/11/24/10/other-stream-2026-11-24-10-15-30-a.ndjson"), one, NOW);
    write(root.resolve("refused/2026/11/24/10/game-events-2026-11-24-10-15-30-a.ndjson"), one, NOW);
    write(root.resolve("game-events-2026-11-24-10-15-30-a.ndjson"), one, NOW);
    write(root.resolve("2026/11/24/10/game-events-2026-11-24-10-15-30-a.json"), one, NOW);
    write(root.resolve("2026/11/24/10/.probe-1"), one, NOW);
    Path target = write(elsewhere.resolve("game-events-2026-11-24-10-15-30-t.ndjson"), one, NOW);
    Files.createSymbolicLink(root.resolve("2026/11/24/10/game-events-2026-11-24-10-15-30-link.ndjson"), target);
    write(root.resolve("2026/11/24/10/game-events-2026-11-24-10-15-30-mine.ndjson"),
        record("com.mine", "m").getBytes(StandardCharsets.UTF_8), NOW);

    assertThat(read(root, 0)).containsExactly("com.mine/m@" + NOW);
  }

  @Test
  void keepsWhatItReadOfAFileThatEndsInTheMiddleOfARecord(@TempDir Path root) throws IOException {
    String torn = record("com.a", "1") + record("com.a", "2").substring(0, 40);
    write(root.resolve("2026/11/24/10/game-events-2026-11-24-10-15-30-a.ndjson"),
        torn.getBytes(StandardCharsets.UTF_8), NOW);
    write(root.resolve("2026/11/24/11/game-events-2026-11-24-11-15-30-b.ndjson"),
        record("com.b", "3").getBytes(StandardCharsets.UTF_8), NOW);

    assertThat(read(root, 0)).containsExactlyInAnyOrder("com.a/1@" + NOW, "com.b/3@" + NOW);
  }

  @Test
  void aMissingDirectoryHasNoRecords(@TempDir Path root) throws IOException {
    assertThat(read(root.resolve("never-written"), 0)).isEmpty();
  }
}
