package io.gameevents.dedup.storage;

import io.gameevents.pipeline.Outcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the dedup stage does per fresh event, as {@code DedupVerticle.onBatch} and its delivery callback do it:
 * the key, the admission (in-flight map, store probe, reservation) and the settlement (remember, journal). The
 * journal is written to the OS every 4,096 events, without fsync, as the verticle's flush timer does between
 * fsyncs. In the dedup package because the partition is package-private.
 * Run with {@code bench/jmh.sh DedupAdmitBenchmark}, or as a CpuTimed case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DedupAdmitBenchmark {

  private static final long WINDOW = TimeUnit.HOURS.toMillis(24);
  private static final int IDS = 1 << 16;

  private final String[] eventIds = new String[IDS];
  private Path directory;
  private DedupJournal journal;
  private DedupPartition partition;
  private int next;
  private long round;

  @Setup
  public void setUp() throws IOException {
    directory = Files.createTempDirectory("dedup-admit-bench");
    BucketedDedupStore store = new BucketedDedupStore(WINDOW, 8, 1_000_000, System::currentTimeMillis);
    journal = DedupJournal.open(directory, store.sliceMillis(), WINDOW);
    partition = new DedupPartition(0, store, journal, new DedupPartition.InFlightBudget(10_000), 0);
    for (int i = 0; i < IDS; i++) {
      eventIds[i] = java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString();
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    journal.close();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One fresh event: the ids cycle, with a round number so that each one is new to the store. */
  @Benchmark
  public boolean admitAndSettle() throws IOException {
    int i = next++ & (IDS - 1);
    if (i == 0) {
      round++;
    }
    DedupKey key = TestHashers.KEYED.key("com.studio.puzzlequest", round + eventIds[i]);
    boolean fresh = partition.admit(key, null, 0);
    if (fresh) {
      partition.settle(key, Outcome.ACCEPTED);
    }
    if ((i & 4095) == 0) {
      journal.flush(System.currentTimeMillis(), false);
    }
    return fresh;
  }
}
