package io.gameevents.suppression;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set of 128-bit digests read on every event without a lock: open addressing over one {@code long[]} of
 * (high, low) pairs, linear probing. A slot's high word is 0 when empty, {@link #REMOVED} once its digest was
 * removed, else a digest's (always odd) high word. A writer (one at a time: callers hold the list's lock) writes a
 * slot's low word, then publishes its high word with release semantics, so a reader that sees the high word sees the
 * low one; a grown table is filled first and then published whole. A reader racing a write sees the set before or
 * after it, which is all the list promises ("from the 202 on": the 202 is sent after the write).
 */
final class DigestTable {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final long REMOVED = 2;
  private static final int MIN_CAPACITY = 16;

  /**
   * The slots, and a bitmap with one bit set per digest (4 bits per slot): a miss, the common answer, is mostly
   * told by one read of the bitmap (2 MB at a million entries, where the slots are 64 MB and a probe of them is a
   * cache miss). A removed digest's bit stays set until the next rebuild: it only costs a probe.
   */
  private record Tables(long[] slots, long[] bits) {
  }

  private volatile Tables tables = new Tables(new long[2 * MIN_CAPACITY], new long[MIN_CAPACITY / 16]);
  private int live;
  private int used;

  boolean contains(long high, long low) {
    Tables current = tables;
    long[] bits = current.bits;
    int bit = (int) low & (bits.length * 64 - 1);
    if (((long) SLOTS.getAcquire(bits, bit >>> 6) & (1L << bit)) == 0) {
      return false;
    }
    long[] table = current.slots;
    int mask = (table.length >>> 1) - 1;
    int i = spread(high, low) & mask;
    while (true) {
      long seen = (long) SLOTS.getAcquire(table, 2 * i);
      if (seen == 0) {
        return false;
      }
      if (seen == high && table[2 * i + 1] == low) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /** @return false when it was there already */
  boolean add(long high, long low) {
    if (contains(high, low)) {
      return false;
    }
    if (2 * (used + 1) > tables.slots.length >>> 1) {
      // more than half the slots used (removed ones count: they lengthen probes): rebuild, growing if live ones need it
      rebuild(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, 4 * (live + 1)) - 1) << 1));
    }
    Tables current = tables;
    long[] table = current.slots;
    int mask = (table.length >>> 1) - 1;
    int i = spread(high, low) & mask;
    while (table[2 * i] != 0) {
      i = (i + 1) & mask; // removed slots are not reused: a reader may be probing past one right now
    }
    table[2 * i + 1] = low;
    SLOTS.setRelease(table, 2 * i, high);
    // the bit last: a reader that sees it finds the slot
    int bit = (int) low & (current.bits.length * 64 - 1);
    SLOTS.getAndBitwiseOrRelease(current.bits, bit >>> 6, 1L << bit);
    live++;
    used++;
    return true;
  }

  /** @return false when it was not there */
  boolean remove(long high, long low) {
    long[] table = tables.slots;
    int mask = (table.length >>> 1) - 1;
    int i = spread(high, low) & mask;
    while (table[2 * i] != 0) {
      if (table[2 * i] == high && table[2 * i + 1] == low) {
        SLOTS.setRelease(table, 2 * i, REMOVED);
        live--;
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return live;
  }

  private void rebuild(int capacity) {
    long[] old = tables.slots;
    long[] table = new long[2 * capacity];
    long[] bits = new long[capacity / 16];
    int mask = capacity - 1;
    for (int j = 0; j < old.length; j += 2) {
      long high = old[j];
      if (high != 0 && high != REMOVED) {
        int i = spread(high, old[j + 1]) & mask;
        while (table[2 * i] != 0) {
          i = (i + 1) & mask;
        }
        table[2 * i] = high;
        table[2 * i + 1] = old[j + 1];
        int bit = (int) old[j + 1] & (bits.length * 64 - 1);
        bits[bit >>> 6] |= 1L << bit;
      }
    }
    used = live;
    tables = new Tables(table, bits); // volatile: published filled
  }

  /** Digests are keyed hashes already: their bits are uniform; the slot comes from the high word, the bit from the low. */
  private static int spread(long high, long low) {
    return (int) (high >>> 33) ^ (int) (high >>> 1);
  }
}
