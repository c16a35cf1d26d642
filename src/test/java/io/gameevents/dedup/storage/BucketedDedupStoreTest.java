package io.gameevents.dedup.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gameevents.config.DedupConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BucketedDedupStoreTest {

  private static final long HOUR = TimeUnit.HOURS.toMillis(1);
  private static final long DAY = TimeUnit.DAYS.toMillis(1);

  private final FakeClock clock = new FakeClock();

  @Test
  void remembersAndFindsKeys() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    DedupKey a = TestHashers.KEYED.key("app-1", "evt-1");
    DedupKey b = TestHashers.KEYED.key("app-1", "evt-2");
    DedupKey otherApp = TestHashers.KEYED.key("app-2", "evt-1");

    assertThat(contains(store, a)).isFalse();
    remember(store, a);
    remember(store, b);
    remember(store, a); // already there: no second copy

    assertThat(contains(store, a)).isTrue();
    assertThat(contains(store, b)).isTrue();
    assertThat(contains(store, otherApp)).isFalse();
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.forgotten()).isZero();
  }

  @Test
  void theEmptySlotMarkerIsStillAStorableKey() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    store.remember(0, 0);
    assertThat(store.contains(0, 0)).isTrue();
    assertThat(store.contains(0, 1)).isFalse();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void touchingReadsTheSlotsAProbeStartsAtAndChangesNothing() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    assertThat(store.touchForLookup(7, 7)).as("no slice yet").isZero();
    clock.now = 10;
    store.remember(7, 1);
    clock.now = HOUR; // the next slice: the newest, where new ids go
    store.remember(9, 1);

    // each key is alone in its 64-slot slice, so the slot a probe starts at holds it (hi first)
    assertThat(store.touchForLookup(7, 1)).as("found in the older slice; its newest slot is empty").isEqualTo(7);
    assertThat(store.touchForLookup(9, 1)).as("found in the newest slice").isEqualTo(9);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.contains(7, 1)).isTrue();
    assertThat(store.contains(9, 1)).isTrue();
    assertThat(store.contains(7, 7)).isFalse();
  }

  @Test
  void aForgottenKeyIsGoneFromWhicheverSliceHeldItAndTheOthersStay() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    clock.now = 10;
    store.rememberAbsent(1, 1);
    store.rememberAbsent(0, 0); // the empty-slot marker, remapped as remember() does
    clock.now = HOUR; // a newer slice
    store.rememberAbsent(2, 2);

    assertThat(store.forget(1, 1)).as("held by the older slice").isTrue();
    assertThat(store.forget(1, 1)).as("not held any more").isFalse();
    assertThat(store.forget(0, 0)).isTrue();
    assertThat(store.forget(3, 3)).isFalse();
    assertThat(store.contains(1, 1)).isFalse();
    assertThat(store.contains(0, 0)).isFalse();
    assertThat(store.contains(2, 2)).isTrue();
    assertThat(store.size()).isEqualTo(1);
  }

  /**
   * Keys removed from the middle of probe runs, in tables that grow and wrap around: whatever was remembered and not
   * forgotten is found, nothing else is. Keys whose hi and lo are equal all land in slot 0 (their mix is 0), so
   * every run here is long and wraps.
   */
  @Test
  void forgettingInsideProbeRunsLeavesEveryOtherKeyFindable() {
    SplittableRandom random = new SplittableRandom(24);
    for (int round = 0; round < 200; round++) {
      BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
      Set<List<Long>> held = new HashSet<>();
      List<List<Long>> order = new java.util.ArrayList<>();
      for (int step = 0; step < 400; step++) {
        if (!order.isEmpty() && random.nextInt(3) == 0) {
          List<Long> key = order.remove(random.nextInt(order.size()));
          assertThat(store.forget(key.get(0), key.get(1))).isEqualTo(held.remove(key));
        } else {
          long hi = random.nextInt(5) == 0 ? random.nextInt(1, 40) : random.nextLong();
          long lo = random.nextInt(4) == 0 ? hi : random.nextLong();
          List<Long> key = List.of(hi, lo);
          if (!store.contains(hi, lo)) {
            store.rememberAbsent(hi, lo);
            held.add(key);
            order.add(key);
          }
        }
        if (step % 50 == 49) {
          for (List<Long> key : order) {
            assertThat(store.contains(key.get(0), key.get(1))).as("round %d step %d: %s", round, step, key).isTrue();
          }
          assertThat(store.size()).isEqualTo(held.size());
        }
      }
      for (List<Long> key : List.copyOf(order)) {
        assertThat(store.forget(key.get(0), key.get(1))).isTrue();
        assertThat(store.contains(key.get(0), key.get(1))).isFalse();
      }
      assertThat(store.size()).isZero();
    }
  }

  @Test
  void expiryDropsAWholeBucketButNotNewerOnes() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    clock.now = 10;
    store.remember(1, 1);
    clock.now = HOUR - 1; // same one-hour bucket as the first id
    store.remember(1, 2);
    clock.now = HOUR; // next bucket
    store.remember(2, 1);

    clock.now = DAY + HOUR - 1; // the first bucket's newest id is just under a window old
    assertThat(store.contains(1, 1)).isTrue();
    assertThat(store.contains(1, 2)).isTrue();
    assertThat(store.sliceCount()).isEqualTo(2);

    clock.now = DAY + HOUR; // the whole first bucket goes, old and young ids alike
    assertThat(store.contains(1, 1)).isFalse();
    assertThat(store.contains(1, 2)).isFalse();
    assertThat(store.contains(2, 1)).isTrue();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.sliceCount()).isEqualTo(1);
    assertThat(store.forgotten()).as("expiry is not forgetting").isZero();

    clock.now = DAY + 2 * HOUR;
    assertThat(store.contains(2, 1)).isFalse();
    assertThat(store.size()).isZero();
    assertThat(store.bytesUsed()).isZero();
  }

  @Test
  void anIdIsKeptAtLeastTheWindowEvenIfTheWindowDoesNotDivideEvenly() {
    BucketedDedupStore store = new BucketedDedupStore(1000, 3, 1_000_000, clock); // 334 ms slices
    clock.now = 333;
    store.remember(5, 5);
    clock.now = 1333;
    assertThat(store.contains(5, 5)).isTrue();
    clock.now = 1336; // slice [0, 334) ends at 334; 334 + 1002 = 1336
    assertThat(store.contains(5, 5)).isFalse();
  }

  @Test
  void aClockSteppingBackKeepsEverything() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    clock.now = 5 * HOUR;
    store.remember(1, 1);
    clock.now = 2 * HOUR;
    store.remember(1, 2);
    assertThat(store.contains(1, 1)).isTrue();
    assertThat(store.contains(1, 2)).isTrue();
    assertThat(store.sliceCount()).isEqualTo(1);
  }

  @Test
  void rememberingAnOlderIdAgainRestartsItsWindow() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    store.remember(1, 1);
    clock.now = 10 * HOUR;
    store.remember(1, 1);
    assertThat(store.size()).as("held by two slices").isEqualTo(2);
    clock.now = DAY + 5 * HOUR;
    assertThat(store.contains(1, 1)).isTrue();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void maxEntriesForgetsTheOldestBucketFirst() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 4, 10, clock); // 6 h buckets
    rememberRange(store, 100, 4);
    clock.now = 6 * HOUR;
    rememberRange(store, 200, 4);
    clock.now = 12 * HOUR;
    rememberRange(store, 300, 2);
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.forgotten()).isZero();

    store.remember(400, 0); // the 11th id: the 0 h bucket goes

    assertThat(store.forgotten()).isEqualTo(4);
    assertThat(store.size()).isEqualTo(7);
    for (int i = 0; i < 4; i++) {
      assertThat(store.contains(100 + i, 0)).isFalse();
      assertThat(store.contains(200 + i, 0)).isTrue();
    }
    assertThat(store.contains(300, 0)).isTrue();
    assertThat(store.contains(301, 0)).isTrue();
    assertThat(store.contains(400, 0)).isTrue();

    rememberRange(store, 500, 4); // 11 again: the 6 h bucket goes next
    assertThat(store.forgotten()).isEqualTo(8);
    assertThat(store.size()).isEqualTo(7);
    assertThat(store.contains(200, 0)).isFalse();
    assertThat(store.contains(300, 0)).isTrue();
  }

  @Test
  void aLoneFullBucketIsForgottenRatherThanRefusingIds() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 1, 5, clock);
    rememberRange(store, 100, 5);
    store.remember(999, 0);
    assertThat(store.forgotten()).isEqualTo(5);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.contains(999, 0)).isTrue();
    assertThat(store.contains(100, 0)).isFalse();
  }

  @Test
  void growthKeepsAllKeys() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 10_000_000, clock);
    SplittableRandom random = new SplittableRandom(7);
    long[] keys = new long[2 * 200_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = random.nextLong();
    }
    for (int i = 0; i < keys.length; i += 2) {
      store.remember(keys[i], keys[i + 1]);
    }
    assertThat(store.size()).isEqualTo(200_000);
    for (int i = 0; i < keys.length; i += 2) {
      assertThat(store.contains(keys[i], keys[i + 1])).isTrue();
      assertThat(store.contains(keys[i], ~keys[i + 1])).isFalse();
    }
    // capacity 64 grown by 1.5x, never more than needed: 200,000 ids at load >= 0.53
    assertThat(store.bytesUsed()).isBetween(200_000L * 16, 200_000L * 32);
  }

  @Test
  void aSliceThatCannotGrowIsSealedAndANewOneOpened() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock, 100);
    rememberRange(store, 1, 1000);
    assertThat(store.size()).isEqualTo(1000);
    assertThat(store.sliceCount()).isEqualTo(13); // 80 ids (load 0.8) per 100-slot slice
    for (int i = 0; i < 1000; i++) {
      assertThat(store.contains(1 + i, 0)).isTrue();
    }
    clock.now = DAY + HOUR; // all share one time slice, so they expire together
    assertThat(store.size()).isZero();
  }

  @Test
  void bytesUsedCountsTheTablesRealSize() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    assertThat(store.bytesUsed()).isZero();
    store.remember(1, 1);
    // one slice object estimate + long[128] for 64 slots
    assertThat(store.bytesUsed()).isEqualTo(48 + 16 + 128 * 8);
  }

  @Test
  void buildsFromConfig() {
    BucketedDedupStore store = BucketedDedupStore.from(new DedupConfig(1, 1, 3600, 24, 1000, 10, "unused", 1000, 30_000));
    DedupKey key = TestHashers.KEYED.key("app-1", "evt-1");
    store.remember(key.hi(), key.lo());
    assertThat(store.contains(key.hi(), key.lo())).isTrue();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> new BucketedDedupStore(0, 24, 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketedDedupStore(DAY, 0, 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketedDedupStore(DAY, 24, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void restoresOutOfOrderIntoTheSliceOfTheirTime() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock); // 1 h slices
    clock.now = 5 * HOUR;
    store.restore(3 * HOUR + 1, 3, 0);
    store.restore(HOUR, 1, 0);
    store.restore(4 * HOUR + 59, 4, 0);
    store.restore(2 * HOUR, 2, 0);
    store.restore(2 * HOUR + 5, 2, 0); // already held: not a second copy
    store.restore(7 * HOUR, 7, 0); // ahead of the clock (it stepped back across a restart)
    store.restore(0, 0, 0);
    store.remember(5, 0);
    assertThat(store.size()).isEqualTo(7);
    assertThat(store.sliceCount()).isEqualTo(7);
    assertThat(store.contains(0, 0)).isTrue();

    // Slices expire oldest first, which only works if the restores were put in time order.
    clock.now = 25 * HOUR;
    assertThat(store.contains(0, 0)).isFalse();
    assertThat(store.contains(1, 0)).isTrue();
    clock.now = 26 * HOUR;
    assertThat(store.contains(1, 0)).isFalse();
    assertThat(store.contains(2, 0)).isTrue();
    clock.now = 29 * HOUR;
    assertThat(store.contains(4, 0)).isFalse();
    assertThat(store.contains(5, 0)).isTrue();
    assertThat(store.contains(7, 0)).isTrue();
    clock.now = 30 * HOUR;
    assertThat(store.contains(5, 0)).isFalse();
    assertThat(store.contains(7, 0)).isTrue();
    clock.now = 32 * HOUR;
    assertThat(store.size()).isZero();
  }

  @Test
  void aKeyRestoredAtTwoTimesLastsUntilTheLaterOne() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    clock.now = 5 * HOUR;
    store.restore(HOUR, 1, 0);
    store.restore(3 * HOUR, 1, 0); // held only by an older slice: copied, as remember() would
    store.restore(3 * HOUR, 2, 0);
    store.restore(2 * HOUR, 2, 0); // held by a newer slice: nothing to add
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.sliceCount()).isEqualTo(2);

    clock.now = 26 * HOUR; // the 1 h slice has gone
    assertThat(store.contains(1, 0)).isTrue();
    assertThat(store.size()).isEqualTo(2);
    clock.now = 28 * HOUR;
    assertThat(store.contains(1, 0)).isFalse();
    assertThat(store.contains(2, 0)).isFalse();
  }

  @Test
  void restoreIgnoresKeysWhoseSliceHasExpired() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 24, 1_000_000, clock);
    clock.now = DAY + 2 * HOUR; // slices 0 and 1 are past the window, slice 2 is not
    store.restore(HOUR - 1, 1, 0);
    store.restore(2 * HOUR - 1, 2, 0);
    store.restore(2 * HOUR, 3, 0);
    assertThat(store.contains(1, 0)).isFalse();
    assertThat(store.contains(2, 0)).isFalse();
    assertThat(store.contains(3, 0)).isTrue();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.forgotten()).as("expired is not forgotten").isZero();
  }

  @Test
  void forEachRestoredIntoAFreshStoreGivesTheSameKeys() {
    // small tables, so sealed slices sharing an epoch are visited too
    BucketedDedupStore store = new BucketedDedupStore(DAY, 8, 1_000_000, clock, 100);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      clock.now = i * (20 * HOUR / 2000);
      store.remember(random.nextLong(), random.nextLong());
    }
    store.remember(0, 0);
    store.remember(17, 17); // twice, in two slices
    clock.now = DAY;
    store.remember(17, 17); // the first slices have expired by now

    BucketedDedupStore copy = new BucketedDedupStore(DAY, 8, 1_000_000, clock);
    store.forEach(copy::restore);

    assertThat(keysOf(copy)).isEqualTo(keysOf(store)).hasSizeGreaterThan(1000);
    assertThat(copy.size()).as("the same copies in the same slices").isEqualTo(store.size());
    assertThat(copy.contains(0, 0)).isTrue();
    assertThat(copy.contains(17, 17)).isTrue();
    store.forEach((sliceStart, hi, lo) -> {
      assertThat(copy.contains(hi, lo)).isTrue();
      assertThat(sliceStart % store.sliceMillis()).isZero();
    });
    clock.now = 2 * DAY; // and they expire together
    assertThat(keysOf(copy)).isEqualTo(keysOf(store));
  }

  @Test
  void restoreRespectsMaxEntriesKeepingTheNewestSlices() {
    BucketedDedupStore store = new BucketedDedupStore(DAY, 4, 10, clock); // 6 h slices
    clock.now = 18 * HOUR;
    restoreRange(store, 18 * HOUR, 300, 4); // newest first, as the journal loads
    restoreRange(store, 12 * HOUR, 200, 4);
    restoreRange(store, 6 * HOUR, 100, 4); // only 2 fit: the rest would be the oldest, forgotten
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.forgotten()).isEqualTo(2);
    assertThat(store.contains(101, 0)).isTrue();
    assertThat(store.contains(102, 0)).isFalse();

    store.restore(12 * HOUR, 250, 0); // newer than the oldest slice, which goes as remember() does
    assertThat(store.forgotten()).isEqualTo(4);
    assertThat(store.size()).isEqualTo(9);
    assertThat(store.contains(100, 0)).isFalse();
    assertThat(store.contains(250, 0)).isTrue();

    BucketedDedupStore oldestFirst = new BucketedDedupStore(DAY, 4, 10, clock);
    restoreRange(oldestFirst, 6 * HOUR, 100, 4);
    restoreRange(oldestFirst, 12 * HOUR, 200, 4);
    restoreRange(oldestFirst, 18 * HOUR, 300, 4); // the 11th id: the 6 h slice goes
    assertThat(oldestFirst.size()).isEqualTo(8);
    assertThat(oldestFirst.forgotten()).isEqualTo(4);
    assertThat(oldestFirst.contains(103, 0)).isFalse();
    assertThat(oldestFirst.contains(200, 0)).isTrue();
    assertThat(oldestFirst.contains(303, 0)).isTrue();
  }

  private static void restoreRange(BucketedDedupStore store, long atMillis, long firstHi, int count) {
    for (int i = 0; i < count; i++) {
      store.restore(atMillis, firstHi + i, 0);
    }
  }

  private static Set<List<Long>> keysOf(BucketedDedupStore store) {
    Set<List<Long>> keys = new HashSet<>();
    store.forEach((sliceStart, hi, lo) -> keys.add(List.of(hi, lo)));
    return keys;
  }

  private static void rememberRange(BucketedDedupStore store, long firstHi, int count) {
    for (int i = 0; i < count; i++) {
      store.remember(firstHi + i, 0);
    }
  }

  private static void remember(DedupStore store, DedupKey key) {
    store.remember(key.hi(), key.lo());
  }

  private static boolean contains(DedupStore store, DedupKey key) {
    return store.contains(key.hi(), key.lo());
  }

  static final class FakeClock implements java.util.function.LongSupplier {
    long now;

    @Override
    public long getAsLong() {
      return now;
    }
  }
}
