package io.gameevents.dedup.storage;

/**
 * Remembers the ids of events the sink confirmed, for the dedup window. Keys are 128-bit hashes of
 * (app_id, event_id), see {@link DedupKey}. A store holds one dedup partition and is called only
 * from its owning verticle's context, so implementations need no locking.
 *
 * <p>Reservations of in-flight ids are not kept here but in {@link DedupPartition}; the cluster
 * needs no shared store, since each partition has exactly one owner at a time.
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
