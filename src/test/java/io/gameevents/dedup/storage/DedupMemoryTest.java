package io.gameevents.dedup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bytes-per-id budget at production scale: 10M ids must cost at most 32 bytes each, at every
 * fill level past warm-up (growth included), not just at the end. Needs about 0.5 GB of heap
 * (the one-bucket table ends at 18.4M slots = 294 MB, ~490 MB while its last growth copies); the
 * two fills take 10-15 s together on the shared 2-core machine, most of it the one-bucket fill.
 */
class DedupMemoryTest {

  private static final int IDS = 10_000_000;
  private static final long WINDOW = TimeUnit.HOURS.toMillis(24);
  private static final double BUDGET = 32.0;
  /** Below this many ids fixed costs (initial 64-slot tables) dominate; that is the warm-up. */
  private static final int WARM_UP = 10_000;
  /**
   * A HashSet&lt;String&gt; of 36-char UUID-like ids costs at least 32 (HashMap.Node) + 4 (table
   * reference, more at load <= 0.75) + 24 (String) + 56 (byte[36] + header) = 116 bytes
   * an id, before load-factor slack; measured: 119 (bench/HISTORY.md).
   */
  private static final double HASH_SET_OF_STRINGS_LOWER_BOUND = 116.0;

  @Test
  void tenMillionIdsInOneBucketFitTheBudget() {
    long[] clock = {0};
    BucketedDedupStore store = new BucketedDedupStore(WINDOW, 1, 20_000_000, () -> clock[0]);
    double worst = fill(store, clock, 0);
    assertFigures("1 bucket", store, worst);
  }

  @Test
  void tenMillionIdsSpreadOverTwentyFourBucketsFitTheBudget() {
    long[] clock = {0};
    BucketedDedupStore store = new BucketedDedupStore(WINDOW, 24, 20_000_000, () -> clock[0]);
    // Spread the ids evenly over the window, so every hourly bucket holds ~417k of them.
    double worst = fill(store, clock, (double) WINDOW / IDS);
    assertThat(store.sliceCount()).isEqualTo(24);
    assertFigures("24 buckets", store, worst);
  }

  /**
   * Remembers IDS random 128-bit keys (the shape DedupKey yields; all distinct barring a 1e-25
   * fluke, which size() would catch), returns the worst bytes/id seen after warm-up.
   */
  private static double fill(BucketedDedupStore store, long[] clock, double millisPerId) {
    SplittableRandom random = new SplittableRandom(20_000_000);
    double worst = 0;
    for (int i = 0; i < IDS; i++) {
      clock[0] = (long) (i * millisPerId);
      store.remember(random.nextLong(), random.nextLong());
      if (i >= WARM_UP) {
        worst = Math.max(worst, (double) store.bytesUsed() / store.size());
      }
    }
    return worst;
  }

  private static void assertFigures(String layout, BucketedDedupStore store, double worst) {
    double last = (double) store.bytesUsed() / store.size();
    System.out.printf("DedupMemoryTest %s: %d ids, %d bytes, %.2f bytes/id now, %.2f worst%n",
        layout, store.size(), store.bytesUsed(), last, worst);
    assertThat(store.size()).as("all ids distinct and kept").isEqualTo(IDS);
    assertThat(store.forgotten()).isZero();
    assertThat(worst).isLessThanOrEqualTo(BUDGET);
    assertThat(last).isLessThanOrEqualTo(BUDGET);
    assertThat(worst).isLessThan(HASH_SET_OF_STRINGS_LOWER_BOUND / 3);
  }
}
