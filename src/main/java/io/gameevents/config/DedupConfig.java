package io.gameevents.config;

/**
 * The dedup stage. The id space is cut into {@code partitions} fixed partitions (the same on every
 * node of a cluster); each is owned by exactly one dedup instance at a time. Ids are remembered
 * for {@code window_seconds}, in {@code buckets} time slices; past {@code max_entries} the oldest
 * slice is forgotten (and counted) rather than refusing events. Committed ids are journalled
 * under {@code directory}: written out every {@code journal_flush_ms} (then a crash of the process
 * loses none) and fsynced every {@code journal_fsync_ms} (then a crash of the machine loses none),
 * so a restart keeps the window. An event is remembered by a keyed hash of its ids under {@code hash_key}
 * (required in a cluster, the same on every member; a single node without it keeps a key of its own in
 * {@code directory}), so nobody without the key can choose an id that collides with another's.
 */
public record DedupConfig(int instances, int partitions, long windowSeconds, int buckets, long maxEntries,
                          int maxInFlight, String directory, long journalFlushMs, long journalFsyncMs,
                          HashKey hashKey) {

  /** Without {@code hash_key}: a single node's own key file. */
  public DedupConfig(int instances, int partitions, long windowSeconds, int buckets, long maxEntries,
                     int maxInFlight, String directory, long journalFlushMs, long journalFsyncMs) {
    this(instances, partitions, windowSeconds, buckets, maxEntries, maxInFlight, directory, journalFlushMs,
        journalFsyncMs, null);
  }

  static DedupConfig from(Section s) {
    DedupConfig config = new DedupConfig(
        s.intValue("instances", 1, 1, 64),
        s.intValue("partitions", 64, 1, 4096),
        s.longValue("window_seconds", 24 * 3600, 1, 30L * 24 * 3600),
        s.intValue("buckets", 8, 1, 1024),
        s.longValue("max_entries", 20_000_000, 1000, 2_000_000_000L),
        s.intValue("max_in_flight", 100_000, 1, 10_000_000),
        s.string("directory", "data/dedup"),
        s.longValue("journal_flush_ms", 1000, 10, 60_000),
        s.longValue("journal_fsync_ms", 30_000, 10, 3_600_000),
        HashKey.from(s, "hash_key"));
    s.done();
    if (config.journalFsyncMs < config.journalFlushMs) {
      throw s.invalid("journal_fsync_ms", "must be at least dedup.journal_flush_ms (" + config.journalFlushMs + ")");
    }
    if (config.instances > config.partitions) {
      throw s.invalid("instances", "must not exceed dedup.partitions (" + config.partitions
          + "): an instance owns whole partitions");
    }
    return config;
  }

  /** A partition's share of {@code max_entries}: the bound holds however the partitions are spread. */
  public long maxEntriesPerPartition() {
    return Math.max(1, (maxEntries + partitions - 1) / partitions);
  }
}
