package io.gameevents.dedup;

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
  public static List<Integer> claimOrder(int partitions, Map<Integer, String> owners, Predicate<String> isMember,
                                         String self, IntPredicate hasJournal) {
    List<Integer> free = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      String entry = owners.get(p);
      if (entry == null || isReleased(entry) || !isMember.test(nodeOf(entry))) {
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

  /**
   * The entry an owner leaves when it gives a partition up in order: it stopped accepting, its
   * reservations settled, and it serves the ids to whoever claims the partition next, at the
   * address of {@code token}, which is new for every handover: an address reused by an earlier
   * handover of the same partition could still be listed, stale, in some node's routing.
   */
  public static String released(String owner, String token) {
    return RELEASED + owner + TOKEN + token;
  }

  /** The token of a released entry (where its ids are served), or null. */
  public static String handoverToken(String entry) {
    int at = entry.lastIndexOf(TOKEN);
    return isReleased(entry) && at >= 0 ? entry.substring(at + 1) : null;
  }

  public static boolean isReleased(String entry) {
    return entry.startsWith(RELEASED);
  }

  /** The owner an entry names, released or not. */
  public static String ownerOf(String entry) {
    if (!isReleased(entry)) {
      return entry;
    }
    int at = entry.lastIndexOf(TOKEN);
    return entry.substring(RELEASED.length(), at < 0 ? entry.length() : at);
  }

  /** The node of the owner an entry names. */
  public static String nodeOf(String entry) {
    String owner = ownerOf(entry);
    int hash = owner.lastIndexOf('#');
    return hash < 0 ? owner : owner.substring(0, hash);
  }

  private static final String RELEASED = "released-by:";
  private static final String TOKEN = "@";

  private static long rendezvous(int partition, String self) {
    long h = self.hashCode() * 0x9E3779B97F4A7C15L + partition;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
