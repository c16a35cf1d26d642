package io.gameevents.dedup.ownership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Who should own how many dedup partitions, decided by every instance on its own from the same
 * facts: the sorted list of live dedup instances and the shared owner map. Targets differ by at
 * most one and sum to the partition count, so the instances converge on an even spread. Only
 * surplus partitions move (a joining instance takes a share, a leaving one's are spread over
 * the rest); everything else stays put, so a rebalance moves as few windows as it can.
 */
public final class PartitionAssignment {

  private PartitionAssignment() {
  }

  /** How many of {@code partitions} the instance {@code self} should own among {@code instances} (sorted). */
  public static int target(List<String> instances, String self, int partitions) {
    int rank = instances.indexOf(self);
    if (rank < 0) {
      return 0;
    }
    int n = instances.size();
    return partitions / n + (rank < partitions % n ? 1 : 0);
  }

  /**
   * Partitions to try to claim, best first: free ones (no entry, a released one, or an owner on a
   * node that is no longer a member) for which this node has a journal on disk, then the rest,
   * each group in an order unique to {@code self} (rendezvous hashing) so that instances claiming
   * at once mostly pick different partitions.
   */
  public static List<Integer> claimOrder(int partitions, Map<Integer, OwnerEntry> owners, Predicate<String> isMember,
                                         String self, IntPredicate hasJournal) {
    List<Integer> free = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      OwnerEntry entry = owners.get(p);
      if (entry == null || entry.isReleased() || !isMember.test(entry.node())) {
        free.add(p);
      }
    }
    free.sort(Comparator.<Integer, Boolean>comparing(p -> !hasJournal.test(p))
        .thenComparingLong(p -> rendezvous(p, self)));
    return free;
  }

  /** Of the partitions {@code self} owns, those to hand over to get down to {@code target}: the last in its order. */
  public static List<Integer> surplus(List<Integer> owned, String self, int target) {
    if (owned.size() <= target) {
      return List.of();
    }
    List<Integer> sorted = new ArrayList<>(owned);
    sorted.sort(Comparator.comparingLong(p -> rendezvous(p, self)));
    return List.copyOf(sorted.subList(target, sorted.size()));
  }

  /** An owner is named {@code nodeId#instance}. */
  public static String ownerName(String nodeId, int instance) {
    return nodeId + "#" + instance;
  }

  private static long rendezvous(int partition, String self) {
    long h = self.hashCode() * 0x9E3779B97F4A7C15L + partition;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
