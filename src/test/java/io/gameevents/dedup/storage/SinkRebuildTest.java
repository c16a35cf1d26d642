package io.gameevents.dedup.storage;

import io.gameevents.config.DedupConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up puts the ids of the sink's records stored after the journal was last durable back into the journal:
 * from the oldest instance's mark less the commit lag, the ids land in their partitions' journals, and the marks
 * start over.
 */
class SinkRebuildTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final long LAG = 28_000;
  private static final int PARTITIONS = 8;

  private static DedupConfig config(Path dir) {
    return new DedupConfig(2, PARTITIONS, 3600, 8, 1_000_000, 1000, dir.toString(), 1000, 30_000);
  }

  /** A sink double: records the time it was asked from, and offers the given ids stored at NOW - 1 s. */
  private static final class Records implements SinkRebuild.Source {
    final List<Long> askedSince = new ArrayList<>();
    final List<String> eventIds;

    Records(List<String> eventIds) {
      this.eventIds = eventIds;
    }

    @Override
    public long forEachSince(long sinceMillis, SinkRebuild.Visitor visitor) {
      askedSince.add(sinceMillis);
      eventIds.forEach(id -> visitor.visit("com.game.test", id, NOW - 1000));
      return eventIds.size();
    }
  }

  /** What the partitions load from the journal now. */
  private static boolean journalled(DedupConfig config, String eventId) throws IOException {
    DedupKey key = TestHashers.KEYED.key("com.game.test", eventId);
    BucketedDedupStore store = new BucketedDedupStore(3600_000, 8, 1_000_000, () -> NOW);
    try (DedupJournal journal = DedupJournal.open(Path.of(config.directory())
        .resolve("partition-" + key.partition(PARTITIONS)), store.sliceMillis(), 3600_000)) {
      journal.load(store, NOW);
    }
    return store.contains(key.hi(), key.lo());
  }

  @Test
  void readsBackFromTheOldestMarkLessTheCommitLagIntoEachIdsPartitionAndStartsTheMarksOver(@TempDir Path dir)
      throws IOException {
    DedupConfig config = config(dir);
    try (JournalMark zero = JournalMark.open(dir, 0); JournalMark one = JournalMark.open(dir, 1);
         JournalMark gone = JournalMark.open(dir, 5)) {
      zero.write(NOW - 2_000);
      one.write(NOW - 7_000); // the slowest instance decides
      gone.write(NOW - 1_000);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("event-" + i);
    }
    Records records = new Records(ids);

    SinkRebuild.Result result = SinkRebuild.run(config, TestHashers.KEYED, records, LAG, NOW);

    assertThat(records.askedSince).containsExactly(NOW - 7_000 - LAG);
    assertThat(result.records()).isEqualTo(200);
    for (String id : ids) {
      assertThat(journalled(config, id)).as(id).isTrue();
    }
    assertThat(journalled(config, "never-stored")).isFalse();
    assertThat(JournalMark.oldest(dir)).hasValue(NOW);
    try (var marks = Files.list(dir)) {
      assertThat(marks.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(JournalMark.PREFIX)))
          .containsExactlyInAnyOrder(JournalMark.PREFIX + "0", JournalMark.PREFIX + "1");
    }
  }

  @Test
  void withoutAMarkItReadsFromTheNewestSliceFileLessTheFsyncInterval(@TempDir Path dir) throws IOException {
    DedupConfig config = config(dir);
    Path slice = Files.createDirectories(dir.resolve("partition-3")).resolve("1.ids");
    Files.write(slice, new byte[16]);
    Files.setLastModifiedTime(slice, FileTime.fromMillis(NOW - 50_000));
    Records records = new Records(List.of());

    SinkRebuild.run(config, TestHashers.KEYED, records, LAG, NOW);

    assertThat(records.askedSince).containsExactly(NOW - 50_000 - 30_000 - LAG);
  }

  @Test
  void aMarkThatDoesNotCheckCountsAsNoMarkAndNoJournalMeansTheWholeWindow(@TempDir Path dir) throws IOException {
    DedupConfig config = config(dir);
    try (JournalMark zero = JournalMark.open(dir, 0)) {
      zero.write(NOW - 1_000);
    }
    Files.write(dir.resolve(JournalMark.PREFIX + "1"), new byte[] {1, 2, 3}); // torn
    assertThat(JournalMark.oldest(dir)).isEqualTo(OptionalLong.empty());
    Records records = new Records(List.of());

    SinkRebuild.run(config, TestHashers.KEYED, records, LAG, NOW);

    assertThat(records.askedSince).containsExactly(NOW - 3600_000 - LAG);
  }
}
