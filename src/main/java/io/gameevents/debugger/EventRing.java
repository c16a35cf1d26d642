package io.gameevents.debugger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} entries, written by every HTTP event loop and read by every subscriber, without a
 * lock: a writer takes the next sequence number (a batch's writer, a range of them) and publishes its entry in
 * that slot (a release write); a reader checks each slot's sequence number, so it can tell an entry not yet
 * published (older number: stop and come back) from one already overwritten (newer number: skipped). Nothing
 * waits and nothing but the entry is allocated per event.
 */
final class EventRing {

  private final AtomicReferenceArray<Entry> slots;
  private final int capacity;
  private final AtomicLong next = new AtomicLong();

  EventRing(int capacity) {
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /** Takes {@code count} sequence numbers for entries to {@link #publish}: the first is returned. */
  long reserve(int count) {
    return next.getAndAdd(count);
  }

  /** Publishes {@code entry} at {@code seq}, a number {@link #reserve} gave this writer. */
  void publish(long seq, Entry entry) {
    entry.seq = seq;
    // a release store is enough to publish the entry to a reader's acquiring get (at), and spares the
    // ingest path the full fence of a volatile store
    slots.lazySet((int) (seq % capacity), entry);
  }

  /** The sequence number the next entry will get. */
  long next() {
    return next.get();
  }

  int capacity() {
    return capacity;
  }

  /** What a reader finds at {@code seq}. */
  sealed interface Read {
  }

  record Found(Entry entry) implements Read {
  }

  /** Taken but not yet published: come back later. */
  record Pending() implements Read {
  }

  /** Overwritten by a newer entry. */
  record Gone() implements Read {
  }

  private static final Read PENDING = new Pending();
  private static final Read GONE = new Gone();

  Read at(long seq) {
    if (seq < next.get() - capacity) {
      return GONE;
    }
    Entry entry = slots.get((int) (seq % capacity));
    if (entry == null || entry.seq < seq) {
      return PENDING;
    }
    return entry.seq == seq && !entry.erased ? new Found(entry) : GONE;
  }

  /**
   * Marks the entries a privacy erasure removes; a reader then finds them gone, as if overwritten. The bytes stay
   * in memory until newer entries overwrite their slots (the ring's capacity), unreachable meanwhile: taking them
   * out of the slot would race the lock-free writers, and a renderer may be reading them at this moment.
   */
  int erase(java.util.function.Predicate<Entry> belongs) {
    int erased = 0;
    for (int i = 0; i < capacity; i++) {
      Entry entry = slots.get(i);
      if (entry != null && !entry.erased && belongs.test(entry)) {
        entry.erased = true;
        entry.json = null;
        erased++;
      }
    }
    return erased;
  }
}
