package io.gameevents.bench;

import io.gameevents.dedup.storage.BucketedDedupStore;
import io.gameevents.dedup.storage.DedupJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long a restart takes to reload a full dedup window: writes {@code ids} random ids (default
 * 10,000,000) remembered over the last 20 h through a {@link DedupJournal} (8 slices of a 24 h
 * window), then times {@link DedupJournal#load} into a fresh store three times. The files were
 * just written, so they are read from the page cache. Not a unit test; with the test classpath:
 *
 * <pre>
 * mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt   # once
 * mvn -B -q -o test-compile
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *     io.gameevents.bench.DedupJournalReload [ids]
 * </pre>
 */
public final class DedupJournalReload {

  private static final long WINDOW = TimeUnit.HOURS.toMillis(24);
  private static final int BUCKETS = 8;
  private static final long SPREAD = TimeUnit.HOURS.toMillis(20);
  private static final int FLUSH_EVERY = 1_000_000;

  public static void main(String[] args) throws IOException {
    int ids = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    Path dir = Files.createTempDirectory("dedup-journal-reload");
    try {
      long now = System.currentTimeMillis();
      long sliceMillis = new BucketedDedupStore(WINDOW, BUCKETS, 1, System::currentTimeMillis).sliceMillis();
      long writeStart = System.nanoTime();
      try (DedupJournal journal = DedupJournal.open(dir, sliceMillis, WINDOW)) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < ids; i++) {
          // in time order, as a running service appends them
          journal.append(now - SPREAD + i * (SPREAD / ids), random.nextLong(), random.nextLong());
          if ((i + 1) % FLUSH_EVERY == 0) {
            journal.flush(now);
          }
        }
        journal.flush(now);
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
      long bytes = bytesIn(dir);
      System.out.printf("ids %,d appended and flushed in %.2f s, bytes on disk %,d, bytes per id %.2f%n",
          ids, writeSeconds, bytes, (double) bytes / ids);

      for (int run = 1; run <= 3; run++) {
        BucketedDedupStore store = new BucketedDedupStore(WINDOW, BUCKETS, 20_000_000,
            System::currentTimeMillis);
        long start = System.nanoTime();
        long read;
        try (DedupJournal journal = DedupJournal.open(dir, sliceMillis, WINDOW)) {
          read = journal.load(store, System.currentTimeMillis());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("run %d: load %.2f s, %,d ids read, %,d in the store, %,d MB of tables%n",
            run, seconds, read, store.size(), store.bytesUsed() >> 20);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static long bytesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long bytes = 0;
      for (Path p : files.toList()) {
        bytes += Files.size(p);
      }
      return bytes;
    }
  }
}
