package io.gameevents.config;

/**
 * The dedup stage. Ids are remembered for {@code window_seconds}, in {@code buckets} time slices;
 * past {@code max_entries} the oldest slice is forgotten (and counted) rather than refusing events.
 */
public record DedupConfig(int instances, long windowSeconds, int buckets, long maxEntries, int maxInFlight) {

  static DedupConfig from(Section s) {
    DedupConfig config = new DedupConfig(
        s.intValue("instances", 1, 1, 64),
        s.longValue("window_seconds", 24 * 3600, 1, 30L * 24 * 3600),
        s.intValue("buckets", 8, 1, 1024),
        s.longValue("max_entries", 20_000_000, 1000, 2_000_000_000L),
        s.intValue("max_in_flight", 100_000, 1, 10_000_000));
    s.done();
    return config;
  }
}
