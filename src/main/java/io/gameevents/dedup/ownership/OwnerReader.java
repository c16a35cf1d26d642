package io.gameevents.dedup.ownership;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.UnprovenEntries;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the owner map as a holder of {@code cluster.secret} may trust it. A partition's entry that does not
 * verify ({@link OwnerEntry#parse}) is counted and read as the last proven entry this reader saw there (none:
 * no owner): a rogue's write can then neither take a partition nor move its owner, who writes its entry back.
 * Not thread-safe: one per reader, used on its context.
 */
public final class OwnerReader {

  /** One read of the map. {@code raw} holds the stored values, for compare-and-set. */
  public record Snapshot(Map<Integer, OwnerEntry> entries, Map<Integer, Object> raw, java.util.Set<Integer> unproven) {

    public OwnerEntry get(int partition) {
      return entries.get(partition);
    }
  }

  private final int partitions;
  private final ClusterKey key;
  private final UnprovenEntries counted;
  private final OwnerEntry[] lastProven;

  public OwnerReader(int partitions, ClusterKey key, UnprovenEntries counted) {
    this.partitions = partitions;
    this.key = key;
    this.counted = counted;
    this.lastProven = new OwnerEntry[partitions];
  }

  public Snapshot read(Map<?, ?> stored) {
    Map<Integer, OwnerEntry> entries = new HashMap<>();
    Map<Integer, Object> raw = new HashMap<>();
    java.util.Set<Integer> unproven = new java.util.HashSet<>();
    boolean[] present = new boolean[partitions];
    stored.forEach((k, value) -> {
      if (!(k instanceof Integer partition) || partition < 0 || partition >= partitions || value == null) {
        return;
      }
      present[partition] = true;
      raw.put(partition, value);
      OwnerEntry entry = OwnerEntry.parse(partition, value, key);
      if (entry != null) {
        lastProven[partition] = entry;
        counted.ownerProven(partition);
      } else {
        unproven.add(partition);
        counted.owner(partition, String.valueOf(value), OwnerEntry.claimedNode(value));
        entry = lastProven[partition];
      }
      if (entry != null) {
        entries.put(partition, entry);
      }
    });
    for (int p = 0; p < partitions; p++) {
      if (!present[p]) {
        lastProven[p] = null; // removed: free, and a later rogue value must not bring back an owner that gave it up
      }
    }
    return new Snapshot(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(raw),
        Collections.unmodifiableSet(unproven));
  }
}
