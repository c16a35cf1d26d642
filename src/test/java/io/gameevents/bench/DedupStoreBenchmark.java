package io.gameevents.bench;

import io.gameevents.dedup.storage.BucketedDedupStore;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.dedup.storage.TestHashers;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-call cost of the dedup store and key hashing. The store is pre-filled with {@code ids} keys
 * spread over a 24 h window in {@code buckets} slices, so a miss probes every live slice.
 * Run with bench/jmh.sh DedupStoreBenchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DedupStoreBenchmark {

  private static final long WINDOW = TimeUnit.HOURS.toMillis(24);
  private static final int MASK = (1 << 16) - 1; // 65,536 probe keys, cycled

  @Param({"1000000"})
  int ids;

  @Param({"1", "24"})
  int buckets;

  private final long[] clock = {0};
  private BucketedDedupStore filled;
  private BucketedDedupStore growing;
  private final long[] present = new long[2 * (MASK + 1)];
  private final long[] absent = new long[2 * (MASK + 1)];
  private final String[] eventIds = new String[MASK + 1];
  private final SplittableRandom random = new SplittableRandom(1);
  private int next;

  @Setup
  public void fill() {
    filled = new BucketedDedupStore(WINDOW, buckets, 2L * ids, () -> clock[0]);
    SplittableRandom keys = new SplittableRandom(42);
    int stride = ids / (MASK + 1);
    for (int i = 0; i < ids; i++) {
      clock[0] = i * (WINDOW / ids);
      long hi = keys.nextLong();
      long lo = keys.nextLong();
      filled.remember(hi, lo);
      int sample = i / stride;
      if (i % stride == 0 && sample <= MASK) {
        present[2 * sample] = hi;
        present[2 * sample + 1] = lo;
      }
    }
    for (int i = 0; i < absent.length; i++) {
      absent[i] = keys.nextLong();
    }
    for (int i = 0; i <= MASK; i++) {
      eventIds[i] = "evt-" + Long.toHexString(keys.nextLong()) + ":" + i;
    }
    // remember() runs against a store that grows to ids and then forgets its only slice, so the
    // figure includes amortised growth and the occasional forget.
    growing = new BucketedDedupStore(WINDOW, 1, ids, () -> clock[0]);
  }

  @Benchmark
  public boolean containsHit() {
    int i = 2 * (next++ & MASK);
    return filled.contains(present[i], present[i + 1]);
  }

  @Benchmark
  public boolean containsMiss() {
    int i = 2 * (next++ & MASK);
    return filled.contains(absent[i], absent[i + 1]);
  }

  @Benchmark
  public long remember() {
    growing.remember(random.nextLong(), random.nextLong());
    return growing.size();
  }

  @Benchmark
  public DedupKey keyOf() {
    return TestHashers.KEYED.key("app-1234", eventIds[next++ & MASK]);
  }
}
