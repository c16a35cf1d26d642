package io.gameevents.dedup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupJournalTest {

  private static final long HOUR = TimeUnit.HOURS.toMillis(1);
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  private static final long SLICE = 3 * HOUR; // a day in 8 buckets

  @TempDir
  Path dir;

  private long now = 20 * HOUR;

  @Test
  void aLinkNamedLikeASliceIsNeitherLoadedNorTouched(@TempDir Path outside) throws IOException {
    byte[] notOurs = new byte[4096];
    new java.util.Random(7).nextBytes(notOurs);
    Path target = Files.write(outside.resolve("precious.bin"), notOurs);
    Files.createSymbolicLink(dir.resolve("5.ids"), target);

    BucketedDedupStore store = store();
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      assertThat(journal.load(store, now)).isZero();
    }
    assertThat(store.size()).isZero();
    assertThat(Files.readAllBytes(target)).isEqualTo(notOurs);
  }

  @Test
  void flushedIdsLoadIntoAFreshStore() throws IOException {
    long[] keys = randomKeys(1000, 1);
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      for (int i = 0; i < keys.length; i += 2) {
        journal.append(i * (now / keys.length), keys[i], keys[i + 1]); // over the last 20 h
      }
      assertThat(journal.pending()).isEqualTo(500);
      assertThat(journal.flush(now)).isEqualTo(500);
      assertThat(journal.pending()).isZero();
    }
    assertThat(sliceFileNames()).containsExactly("0.ids", "1.ids", "2.ids", "3.ids", "4.ids",
        "5.ids", "6.ids");

    BucketedDedupStore store = store();
    try (DedupJournal reopened = DedupJournal.open(dir, SLICE, DAY)) {
      assertThat(reopened.load(store, now)).isEqualTo(500);
    }
    assertThat(store.size()).isEqualTo(500);
    for (int i = 0; i < keys.length; i += 2) {
      assertThat(store.contains(keys[i], keys[i + 1])).isTrue();
    }
    // restored into the slices they were remembered in: the oldest expire first
    now = DAY + 3 * HOUR; // slice 0 (0-3 h) has just expired in the store
    assertThat(store.contains(keys[0], keys[1])).isFalse();
    assertThat(store.size()).isLessThan(500).isGreaterThan(400);
  }

  @Test
  void anExpiredSliceIsNotLoadedAndItsFileIsDeleted() throws IOException {
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      journal.append(HOUR, 1, 1); // slice 0, ends at 3 h
      journal.append(7 * HOUR, 2, 2); // slice 2, ends at 9 h
      journal.append(DAY, 3, 3); // slice 8
      assertThat(journal.flush(DAY)).isEqualTo(3);
      assertThat(sliceFileNames()).containsExactly("0.ids", "2.ids", "8.ids");

      now = DAY + 6 * HOUR + 1; // slice 0 ended more than a window and a slice ago
      BucketedDedupStore store = store();
      assertThat(journal.load(store, now)).isEqualTo(2);
      assertThat(sliceFileNames()).containsExactly("2.ids", "8.ids");
      assertThat(store.contains(1, 1)).isFalse();
      assertThat(store.contains(2, 2)).isTrue();
      assertThat(store.contains(3, 3)).isTrue();

      journal.append(HOUR, 4, 4); // remembered long ago: dropped unwritten
      assertThat(journal.flush(DAY + 12 * HOUR + 1)).as("flush deletes too").isZero();
      assertThat(sliceFileNames()).containsExactly("8.ids");
    }
  }

  @Test
  void aTornTailIsIgnoredAndTruncatedByTheNextWrite() throws IOException {
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      journal.append(7 * HOUR, 1, 1);
      journal.append(7 * HOUR, 2, 2);
      journal.append(7 * HOUR, 3, 3);
      journal.flush(now);
    }
    Path slice = dir.resolve("2.ids");
    Files.write(slice, new byte[] {9, 9, 9, 9, 9, 9, 9}, StandardOpenOption.APPEND); // a crash mid-write
    assertThat(Files.size(slice)).isEqualTo(3 * 16 + 7);

    try (DedupJournal restarted = DedupJournal.open(dir, SLICE, DAY)) {
      assertThat(restarted.load(store(), now)).isEqualTo(3);
      restarted.append(8 * HOUR, 4, 4);
      restarted.append(8 * HOUR, 5, 5);
      assertThat(restarted.flush(now)).isEqualTo(2);
    }
    assertThat(Files.size(slice)).isEqualTo(5 * 16);

    BucketedDedupStore store = store();
    try (DedupJournal again = DedupJournal.open(dir, SLICE, DAY)) {
      assertThat(again.load(store, now)).isEqualTo(5);
    }
    for (long k = 1; k <= 5; k++) {
      assertThat(store.contains(k, k)).isTrue();
    }
    assertThat(store.size()).isEqualTo(5);
  }

  @Test
  void appendsDuringFlushesAreNotLost() throws Exception {
    long[] keys = randomKeys(400_000, 2);
    AtomicBoolean appended = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      Thread appender = new Thread(() -> {
        for (int i = 0; i < keys.length; i += 2) {
          journal.append(i * (now / keys.length), keys[i], keys[i + 1]);
        }
        appended.set(true);
      });
      Thread flusher = new Thread(() -> {
        try {
          while (!appended.get()) {
            written.addAndGet(journal.flush(now));
          }
          written.addAndGet(journal.flush(now)); // whatever came after the last flush
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      flusher.start();
      appender.start();
      appender.join();
      flusher.join();
      assertThat(failure.get()).isNull();
      assertThat(journal.pending()).isZero();
    }
    assertThat(written.get()).isEqualTo(200_000);

    BucketedDedupStore store = store();
    try (DedupJournal reopened = DedupJournal.open(dir, SLICE, DAY)) {
      assertThat(reopened.load(store, now)).isEqualTo(200_000);
    }
    for (int i = 0; i < keys.length; i += 2) {
      assertThat(store.contains(keys[i], keys[i + 1])).isTrue();
    }
  }

  @Test
  void aFailedFlushKeepsItsIdsForTheNextOne() throws IOException {
    Path partition = dir.resolve("p");
    try (DedupJournal journal = DedupJournal.open(partition, SLICE, DAY)) {
      journal.append(HOUR, 1, 1);
      journal.append(2 * HOUR, 2, 2);
      Files.delete(partition);
      Files.writeString(partition, "a file where the directory was");
      assertThatThrownBy(() -> journal.flush(now)).isInstanceOf(IOException.class);
      assertThat(journal.pending()).isEqualTo(2);

      journal.append(3 * HOUR, 3, 3);
      Files.delete(partition);
      Files.createDirectory(partition);
      assertThat(journal.flush(now)).isEqualTo(3);
      assertThat(journal.pending()).isZero();
      BucketedDedupStore store = store();
      assertThat(journal.load(store, now)).isEqualTo(3);
      assertThat(store.size()).isEqualTo(3);
    }
  }

  @Test
  void aMissingOrEmptyDirectoryLoadsNothing() throws IOException {
    Path missing = dir.resolve("dedup").resolve("partition-3");
    try (DedupJournal journal = DedupJournal.open(missing, SLICE, DAY)) {
      assertThat(Files.isDirectory(missing)).isTrue();
      assertThat(journal.load(store(), now)).isZero();
      assertThat(journal.flush(now)).isZero();
      assertThat(journal.load(store(), now)).isZero();
    }
  }

  @Test
  void clearDeletesEverySliceFileAndWhatIsPending() throws IOException {
    try (DedupJournal journal = DedupJournal.open(dir, SLICE, DAY)) {
      journal.append(HOUR, 1, 1);
      journal.append(10 * HOUR, 2, 2);
      journal.flush(now);
      journal.append(11 * HOUR, 3, 3);
      Files.writeString(dir.resolve("notes.txt"), "not a slice");

      journal.clear();

      assertThat(journal.pending()).isZero();
      assertThat(sliceFileNames()).isEmpty();
      assertThat(dir.resolve("notes.txt")).exists();
      assertThat(journal.flush(now)).isZero();
      assertThat(journal.load(store(), now)).isZero();
    }
  }

  @Test
  void refusesAStoreWithOtherSlices() throws IOException {
    try (DedupJournal journal = DedupJournal.open(dir, HOUR, DAY)) {
      assertThatThrownBy(() -> journal.load(store(), now))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private BucketedDedupStore store() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 8, 1_000_000, () -> now);
    assertThat(store.sliceMillis()).isEqualTo(SLICE);
    return store;
  }

  private static long[] randomKeys(int longs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[longs];
    for (int i = 0; i < longs; i++) {
      keys[i] = random.nextLong();
    }
    return keys;
  }

  /** The slice file names, oldest first. */
  private List<String> sliceFileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".ids"))
          .sorted(Comparator.comparingLong(name -> Long.parseLong(name.replace(".ids", ""))))
          .toList();
    }
  }
}
