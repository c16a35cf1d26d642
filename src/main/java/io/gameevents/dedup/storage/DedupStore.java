package io.gameevents.dedup.storage;

/**
 * Remembers the ids of events stored (or being stored), for the dedup window. Keys are 128-bit hashes of
 * (app_id, event_id), see {@link DedupKey}. A store holds one dedup partition and is called only
 * from its owning verticle's context, so implementations need no locking.
 *
 * <p>An id is put here when its event is admitted, and its reservation is kept in
 * {@link DedupPartition} until the sink answers: the partition looks there first, journals the id only
 * once it is confirmed, and has the store forget it if the delivery failed. The cluster needs no
 * shared store, since each partition has exactly one owner at a time.
 */
public interface DedupStore {

  /** True if the key was remembered within the window (and not forgotten under memory pressure). */
  boolean contains(long hi, long lo);

  /** Remembers a key as of now. */
  void remember(long hi, long lo);

  /** Number of keys currently remembered. */
  long size();

  /** Keys dropped before their window ended because max_entries was reached. */
  long forgotten();

  /** Heap bytes held by the store's tables (for the bytes-per-id figure and metrics). */
  long bytesUsed();
}
