package io.gameevents.dedup.storage;

import io.gameevents.config.DedupConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A compact in-memory {@link DedupStore}: the window is cut into {@code buckets} time slices, each
 * an open-addressing hash table (linear probing) of 128-bit keys packed two longs per slot in one
 * {@code long[]}, with (0, 0) as the empty slot. {@link #remember} writes to the slice of the
 * current time, {@link #contains} probes the live slices newest first. {@link #forEach} and
 * {@link #restore} copy the keys out and back in with their slice times (journal, hand-over).
 *
 * <p><b>Expiry</b> drops whole slices, there are no per-entry timestamps: a slice covers
 * {@code ceil(window / buckets)} ms of clock time and is dropped once its newest possible entry
 * is older than the window. An id is therefore kept at least the window and at most one slice
 * longer, and up to {@code buckets + 1} slices are live.
 *
 * <p><b>Memory</b>: a table grows by 1.5x when its load reaches 0.8, so its load never falls
 * below 0.53 once past its initial 64 slots; at 16 bytes per slot that is at most 30 bytes per
 * remembered id, versus well over 100 for a {@code HashSet<String>}. The index is a multiply-shift
 * range reduction, so capacities need not be powers of two.
 *
 * <p><b>Bound</b>: when remembering one more id would exceed {@code maxEntries}, the oldest slice
 * is forgotten whole (its ids counted in {@link #forgotten()}); the store never refuses an id. If
 * the only slice left is the current one, it is forgotten too, so a one-bucket store at its bound
 * starts over empty: configure several buckets to lose less. A slice whose table hits the Java
 * array size limit is sealed and a new slice opened for the same time slice.
 *
 * <p><b>Not thread-safe</b>, by design: a store is owned by one dedup verticle instance and only
 * touched from its context.
 *
 * <p>Re-remembering an id held only by an older slice copies it to the current one (its window
 * restarts); {@link #size()} then counts it once per slice holding it.
 */
public final class BucketedDedupStore implements DedupStore {

  static final int INITIAL_SLOTS = 64;
  /** Largest slot count whose {@code long[]} (2 longs per slot) the JVM can allocate. */
  static final int MAX_SLOTS = (Integer.MAX_VALUE - 8) / 2;
  private static final double MAX_LOAD = 0.8;
  /** Array header of a long[] with compressed class pointers (12 + 4 length, 8-aligned). */
  private static final long ARRAY_HEADER_BYTES = 16;
  /** Rough size of a Slice object and its list reference, so bytesUsed() is not flattered. */
  private static final long SLICE_OBJECT_BYTES = 48;

  private final long sliceMillis;
  private final int buckets;
  private final long maxEntries;
  private final LongSupplier clockMillis;
  private final int maxSlotsPerSlice;

  /** Live slices, oldest first. At most buckets + 1 (plus sealed ones), so removals are cheap. */
  private final List<Slice> slices = new ArrayList<>();
  private long currentEpoch = Long.MIN_VALUE;
  private long size;
  private long forgotten;

  /**
   * @param windowMillis how long an id is remembered, at least
   * @param buckets      time slices the window is cut into; expiry granularity is window/buckets
   * @param maxEntries   bound on remembered ids, past which the oldest slice is forgotten
   * @param clockMillis  wall clock in ms (a fake one in tests)
   */
  public BucketedDedupStore(long windowMillis, int buckets, long maxEntries,
      LongSupplier clockMillis) {
    this(windowMillis, buckets, maxEntries, clockMillis, MAX_SLOTS);
  }

  /** As above with a smaller per-slice slot limit, to test sealing without a 32 GB table. */
  BucketedDedupStore(long windowMillis, int buckets, long maxEntries, LongSupplier clockMillis,
      int maxSlotsPerSlice) {
    if (windowMillis <= 0 || buckets <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("window, buckets and maxEntries must be positive");
    }
    if (maxSlotsPerSlice < 2 || maxSlotsPerSlice > MAX_SLOTS) {
      throw new IllegalArgumentException("maxSlotsPerSlice out of range: " + maxSlotsPerSlice);
    }
    this.sliceMillis = Math.max(1, (windowMillis + buckets - 1) / buckets);
    this.buckets = buckets;
    this.maxEntries = maxEntries;
    this.clockMillis = clockMillis;
    this.maxSlotsPerSlice = maxSlotsPerSlice;
  }

  /** The store of one dedup partition: {@code dedup.max_entries} is the total, shared out over the partitions. */
  public static BucketedDedupStore from(DedupConfig config) {
    return new BucketedDedupStore(config.windowSeconds() * 1000, config.buckets(), config.maxEntriesPerPartition(),
        System::currentTimeMillis);
  }

  @Override
  public boolean contains(long hi, long lo) {
    advanceClock();
    lo = storedLo(hi, lo);
    for (int i = slices.size() - 1; i >= 0; i--) {
      if (slices.get(i).contains(hi, lo)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the slot where {@link #contains} starts probing for this key in each live slice, and changes nothing. A
   * batch's keys land in random places of tables of millions of ids, each probe a cache and TLB miss: reading every
   * key's slots in one pass first lets the CPU overlap those misses instead of taking them one after the other. The
   * caller keeps the value, so the reads are not optimised away.
   */
  public long touchForLookup(long hi, long lo) {
    long read = 0;
    for (int i = slices.size() - 1; i >= 0; i--) {
      read ^= slices.get(i).firstSlot(hi, lo);
    }
    return read;
  }

  @Override
  public void remember(long hi, long lo) {
    advanceClock();
    lo = storedLo(hi, lo);
    int newest = lastSliceUpTo(currentEpoch);
    if (newest >= 0 && slices.get(newest).epoch == currentEpoch
        && slices.get(newest).contains(hi, lo)) {
      return;
    }
    insertNow(hi, lo);
  }

  /**
   * Remembers a key that {@link #contains} has just found absent, without probing for it again (an event's id,
   * reserved while it is delivered: its partition forgets it if the delivery fails). Admission calls this once per
   * event: {@link #remember}'s second probe, in the cache as it is, cost batches 2-3% of their event loops' time
   * (alternated, three rounds, 2026-12-08 03:43).
   */
  public void rememberAbsent(long hi, long lo) {
    advanceClock();
    insertNow(hi, storedLo(hi, lo));
  }

  /** Into the slice of now, the oldest slices forgotten first while the store is at its bound. */
  private void insertNow(long hi, long lo) {
    while (size >= maxEntries) {
      forgetOldest();
    }
    insert(currentEpoch, hi, lo);
  }

  /** Forgets a key, wherever it is held; false when it is not (any more). */
  public boolean forget(long hi, long lo) {
    advanceClock();
    lo = storedLo(hi, lo);
    for (int i = slices.size() - 1; i >= 0; i--) {
      if (slices.get(i).remove(hi, lo)) {
        size--;
        return true;
      }
    }
    return false;
  }

  /**
   * Puts back a key remembered at {@code atMillis}, e.g. read from a journal after a restart or
   * received with a partition from another node, into the slice of that time, so it expires when
   * it would have. Restores may come in any time order. A key whose slice has already expired is
   * ignored, and so is one held by that slice or a newer one; one held only by older slices is
   * copied, as {@link #remember} copies it, so a key restored twice lasts until the later time.
   * Only the slices from the key's own onwards are probed: restoring oldest first (as
   * {@link #forEach} visits) probes one slice per key. At {@code maxEntries} older slices are
   * forgotten as remember() does; a key that would itself land in the oldest slice is forgotten
   * instead, whatever the order of restores.
   */
  public void restore(long atMillis, long hi, long lo) {
    advanceClock();
    long epoch = Math.floorDiv(atMillis, sliceMillis);
    if (expired(epoch, currentEpoch)) {
      return;
    }
    lo = storedLo(hi, lo);
    for (int i = slices.size() - 1; i >= 0 && slices.get(i).epoch >= epoch; i--) {
      if (slices.get(i).contains(hi, lo)) {
        return;
      }
    }
    while (size >= maxEntries) {
      if (slices.get(0).epoch >= epoch) {
        forgotten++;
        return;
      }
      forgetOldest();
    }
    insert(epoch, hi, lo);
  }

  /** (0, 0) marks an empty slot: that key is stored with another lo ({@link DedupKey#ZERO_REMAP_LO}). */
  private static long storedLo(long hi, long lo) {
    return hi == 0 && lo == 0 ? DedupKey.ZERO_REMAP_LO : lo;
  }

  /** Length of a time slice in ms: slice {@code e} covers [e * sliceMillis, (e + 1) * sliceMillis). */
  public long sliceMillis() {
    return sliceMillis;
  }

  /**
   * Visits every live key with the start time of its slice, oldest slice first: restoring them
   * into a store of the same window and buckets gives one that holds the same keys in the same
   * slices. The visitor must not modify this store.
   */
  public void forEach(KeyVisitor visitor) {
    advanceClock();
    for (Slice slice : slices) {
      long sliceStart = slice.epoch * sliceMillis;
      long[] t = slice.table;
      for (int i = 0; i < t.length; i += 2) {
        if ((t[i] | t[i + 1]) != 0) {
          visitor.visit(sliceStart, t[i], t[i + 1]);
        }
      }
    }
  }

  /** Receives the keys of {@link #forEach}. */
  @FunctionalInterface
  public interface KeyVisitor {
    void visit(long sliceStartMillis, long hi, long lo);
  }

  @Override
  public long size() {
    advanceClock();
    return size;
  }

  @Override
  public long forgotten() {
    return forgotten;
  }

  @Override
  public long bytesUsed() {
    advanceClock();
    long bytes = 0;
    for (Slice slice : slices) {
      bytes += SLICE_OBJECT_BYTES + ARRAY_HEADER_BYTES + 8L * slice.table.length;
    }
    return bytes;
  }

  /** Live slices, for tests. */
  int sliceCount() {
    advanceClock();
    return slices.size();
  }

  /** Drops slices whose newest possible id is older than the window. */
  private void advanceClock() {
    long epoch = Math.floorDiv(clockMillis.getAsLong(), sliceMillis);
    if (epoch <= currentEpoch) {
      return; // same slice, or the clock stepped back: keep using the newest slice
    }
    currentEpoch = epoch;
    // Slice e holds ids up to time (e + 1) * sliceMillis; it may go once that is a window old.
    while (!slices.isEmpty() && expired(slices.get(0).epoch, epoch)) {
      size -= slices.remove(0).count;
    }
  }

  private boolean expired(long sliceEpoch, long clockEpoch) {
    return sliceEpoch + buckets < clockEpoch;
  }

  /** Index of the newest slice of epoch {@code epoch} or older, -1 if there is none. */
  private int lastSliceUpTo(long epoch) {
    int i = slices.size() - 1;
    while (i >= 0 && slices.get(i).epoch > epoch) {
      i--; // only restored slices can be newer than the clock, so this rarely loops
    }
    return i;
  }

  /**
   * Adds a key known to be absent to the slice of {@code epoch}, the caller having made room:
   * opens that slice in epoch order if there is none, grows it when full, and when it cannot
   * grow seals it by opening a successor of the same epoch after it (so the last slice of an
   * epoch is always the writable one).
   */
  private void insert(long epoch, long hi, long lo) {
    int index = lastSliceUpTo(epoch);
    Slice slice = index >= 0 ? slices.get(index) : null;
    if (slice != null && slice.epoch == epoch && slice.isFull()) {
      int grown = (int) Math.min(maxSlotsPerSlice, slice.capacity + (long) slice.capacity / 2);
      if (grown > slice.capacity) {
        slice.resize(grown);
      } else {
        slice = null;
      }
    }
    if (slice == null || slice.epoch != epoch) {
      slice = new Slice(epoch, Math.min(INITIAL_SLOTS, maxSlotsPerSlice));
      slices.add(index + 1, slice);
    }
    slice.insert(hi, lo);
    size++;
  }

  private void forgetOldest() {
    Slice oldest = slices.remove(0);
    size -= oldest.count;
    forgotten += oldest.count;
  }

  /** One time slice: an open-addressing table of (hi, lo) pairs. */
  private static final class Slice {
    final long epoch;
    long[] table;
    int capacity;
    int count;
    int growAt;

    Slice(long epoch, int capacity) {
      this.epoch = epoch;
      allocate(capacity);
    }

    private void allocate(int newCapacity) {
      capacity = newCapacity;
      table = new long[2 * newCapacity];
      // Keep at least one empty slot so every probe sequence ends.
      growAt = Math.min(newCapacity - 1, (int) (newCapacity * MAX_LOAD));
    }

    long firstSlot(long hi, long lo) {
      return table[2 * slotOf(hi, lo, capacity)];
    }

    boolean isFull() {
      return count >= growAt;
    }

    boolean contains(long hi, long lo) {
      long[] t = table;
      int slot = slotOf(hi, lo, capacity);
      while (true) {
        long slotHi = t[2 * slot];
        long slotLo = t[2 * slot + 1];
        if (slotHi == hi && slotLo == lo) {
          return true;
        }
        if ((slotHi | slotLo) == 0) {
          return false;
        }
        if (++slot == capacity) {
          slot = 0;
        }
      }
    }

    /** Adds a key known to be absent; the caller made room. */
    void insert(long hi, long lo) {
      place(table, capacity, hi, lo);
      count++;
    }

    /**
     * Removes a key and closes the gap it leaves (backward shift): each later key of the probe run moves into the
     * hole unless its home slot lies between the hole and itself, so every probe still finds what it found before.
     */
    boolean remove(long hi, long lo) {
      long[] t = table;
      int hole = slotOf(hi, lo, capacity);
      while (t[2 * hole] != hi || t[2 * hole + 1] != lo) {
        if ((t[2 * hole] | t[2 * hole + 1]) == 0) {
          return false;
        }
        if (++hole == capacity) {
          hole = 0;
        }
      }
      int next = hole;
      while (true) {
        if (++next == capacity) {
          next = 0;
        }
        long nextHi = t[2 * next];
        long nextLo = t[2 * next + 1];
        if ((nextHi | nextLo) == 0) {
          break;
        }
        int home = slotOf(nextHi, nextLo, capacity);
        boolean homeAfterHole = hole <= next ? home > hole && home <= next : home > hole || home <= next;
        if (!homeAfterHole) {
          t[2 * hole] = nextHi;
          t[2 * hole + 1] = nextLo;
          hole = next;
        }
      }
      t[2 * hole] = 0;
      t[2 * hole + 1] = 0;
      count--;
      return true;
    }

    void resize(int newCapacity) {
      long[] old = table;
      allocate(newCapacity);
      for (int i = 0; i < old.length; i += 2) {
        if ((old[i] | old[i + 1]) != 0) {
          place(table, capacity, old[i], old[i + 1]);
        }
      }
    }

    private static void place(long[] t, int capacity, long hi, long lo) {
      int slot = slotOf(hi, lo, capacity);
      while ((t[2 * slot] | t[2 * slot + 1]) != 0) {
        if (++slot == capacity) {
          slot = 0;
        }
      }
      t[2 * slot] = hi;
      t[2 * slot + 1] = lo;
    }

    /**
     * Maps a key to [0, capacity) by multiply-shift (no power-of-two capacity needed). The keys are
     * already hashes; the odd multiplier only guards against callers passing structured longs.
     */
    private static int slotOf(long hi, long lo, int capacity) {
      long mixed = (hi ^ lo) * 0x9E3779B97F4A7C15L;
      return (int) (((mixed >>> 32) * capacity) >>> 32);
    }
  }
}
