package io.gameevents.forward;

import io.gameevents.config.SpoolConfig;
import io.gameevents.delivery.SinkLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The spool's bookkeeping on disk: scans, checkpoints, the chunks the forwarder reads, and its bounds. */
class SpoolTest {

  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  @Test
  void aScanCountsPublishedAndOpenSegmentsAndWhatTheirCheckpointsDoNotCover(@TempDir Path root) throws Exception {
    Instant old = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Path first = segment(root, old, "a\nbb\nccc\n");
    Path open = root.resolve("2026/12/01/10/.spool-" + NAME_TIME.format(Instant.now()) + "-x.ndjson.inprogress");
    Files.createDirectories(open.getParent());
    Files.writeString(open, "dddd\n");
    try (Checkpoint checkpoint = Checkpoint.open(first)) {
      checkpoint.save(2);
    }
    Path orphan = Checkpoint.fileOf(root.resolve("2026/12/01/10/spool-gone.ndjson"));
    Files.writeString(orphan, "x");

    SpoolScan scan = SpoolScan.of(root);

    assertThat(scan.segments()).singleElement().satisfies(segment -> {
      assertThat(segment.path()).isEqualTo(first);
      assertThat(segment.size()).isEqualTo(9);
      assertThat(segment.forwarded()).isEqualTo(2);
    });
    assertThat(scan.openSegments()).isEqualTo(1);
    assertThat(scan.totalBytes()).isEqualTo(14);
    assertThat(scan.unforwardedBytes()).isEqualTo(7 + 5);
    assertThat(scan.oldestSegmentMillis()).isEqualTo(old.toEpochMilli());
    assertThat(orphan).as("a checkpoint whose segment is gone is removed").doesNotExist();
  }

  @Test
  void aScanTakesNoLinkForASegmentOrAnHourDirectory(@TempDir Path root, @TempDir Path outside) throws Exception {
    Path elsewhere = segment(outside, Instant.now(), "not spooled\n");
    Files.createDirectories(root.resolve("2026/12/01"));
    Files.createSymbolicLink(root.resolve("2026/12/01/11"), elsewhere.getParent());
    Files.createDirectories(root.resolve("2026/12/01/10"));
    Files.createSymbolicLink(root.resolve("2026/12/01/10/" + elsewhere.getFileName()), elsewhere);

    SpoolScan scan = SpoolScan.of(root);

    assertThat(scan.segments()).isEmpty();
    assertThat(scan.totalBytes()).isZero();
    assertThat(Files.readString(elsewhere)).isEqualTo("not spooled\n");
  }

  @Test
  void theReaderTakesWholeLinesWithinTheSinksLimitsFromTheCheckpointOn(@TempDir Path root) throws Exception {
    Path segment = segment(root, Instant.now(), "r0\nr1\nr2\nr3\nr4\nr5\nr6\n");
    List<String> chunks = new ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(segment, 3)) { // past "r0\n": confirmed before
      for (SegmentReader.Chunk chunk = reader.next(new SinkLimits(2, 9, 100)); !chunk.records().isEmpty();
           chunk = reader.next(new SinkLimits(2, 9, 100))) {
        chunks.add(chunk.start() + "-" + chunk.end() + ":" + String.join(",", chunk.records().stream()
            .map(r -> new String(r, StandardCharsets.UTF_8)).toList()));
      }
    }
    assertThat(chunks).containsExactly("3-9:r1,r2", "9-15:r3,r4", "15-21:r5,r6");

    try (SegmentReader reader = SegmentReader.open(segment, 0)) {
      SegmentReader.Chunk byBytes = reader.next(new SinkLimits(500, 7, 100));
      assertThat(byBytes.records()).hasSize(2); // 3 bytes each with its '\n': a third would pass 7
    }
  }

  @Test
  void aCheckpointSurvivesReopeningAndAShortFileReadsAsNothingConfirmed(@TempDir Path root) throws Exception {
    Path segment = segment(root, Instant.now(), "a\n");
    try (Checkpoint checkpoint = Checkpoint.open(segment)) {
      checkpoint.save(1_234_567_890_123L);
    }
    assertThat(Checkpoint.read(segment)).isEqualTo(1_234_567_890_123L);
    Files.write(Checkpoint.fileOf(segment), new byte[] {1, 2, 3});
    assertThat(Checkpoint.read(segment)).isZero();
    Checkpoint.deleteSegment(segment);
    assertThat(segment).doesNotExist();
    assertThat(Checkpoint.fileOf(segment)).doesNotExist();
  }

  @Test
  void theSpoolRefusesAtItsSizeAndAtTheFreeDiskFloorAndSaysWhich(@TempDir Path root) throws Exception {
    SpoolConfig small = new SpoolConfig(root.resolve("a").toString(), 1_000, 0, 24, 1 << 20, 1, 1);
    SpoolConfig floor = new SpoolConfig(root.resolve("b").toString(), 1L << 40, Long.MAX_VALUE, 24, 1 << 20, 1, 1);
    try (Spool bySize = Spool.open(small, new SimpleMeterRegistry());
         Spool byDisk = Spool.open(floor, new SimpleMeterRegistry())) {
      assertThat(bySize.accepting()).isTrue();
      bySize.written(999);
      assertThat(bySize.accepting()).isTrue();
      bySize.written(1);
      assertThat(bySize.accepting()).isFalse();
      assertThat(bySize.fullReason()).isEqualTo("the spool holds 1000 bytes, spool.max_bytes is 1000");
      bySize.deleted(500);
      assertThat(bySize.accepting()).isTrue();

      assertThat(byDisk.accepting()).isFalse();
      assertThat(byDisk.fullReason()).startsWith("the disk holding the spool has ").endsWith(" bytes free, under"
          + " spool.min_free_bytes (" + Long.MAX_VALUE + ")");
    }
  }

  @Test
  void theOldestUnforwardedRecordsAgeComesFromItsSegment(@TempDir Path root) throws Exception {
    Instant twoDaysAgo = Instant.now().minus(48, ChronoUnit.HOURS);
    segment(root.resolve("spool"), twoDaysAgo, "old\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SpoolConfig config = new SpoolConfig(root.resolve("spool").toString(), 1L << 30, 0, 24, 1 << 20, 1, 1);
    try (Spool spool = Spool.open(config, registry)) {
      double age = registry.get("game_events_spool_oldest_record_age_seconds").gauge().value();
      assertThat(age).isBetween(48 * 3600.0 - 5, 48 * 3600.0 + 60);
      assertThat(age).isGreaterThan(registry.get("game_events_spool_max_age_seconds").gauge().value());
      assertThat(registry.get("game_events_spool_segments").gauge().value()).isEqualTo(1);
    }
  }

  private static Path segment(Path root, Instant opened, String content) throws Exception {
    Path file = root.resolve("2026/12/01/10/spool-" + NAME_TIME.format(opened) + "-" + System.nanoTime() + ".ndjson");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }
}
