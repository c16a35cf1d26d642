package io.gameevents.dedup.ownership;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionAssignmentTest {

  private static final int PARTITIONS = 64;

  @Test
  void targetsDifferByAtMostOneAndCoverEveryPartition() {
    for (int n = 1; n <= 10; n++) {
      List<String> instances = IntStream.range(0, n).mapToObj(i -> "node-" + i + "#0").sorted().toList();
      List<Integer> targets = instances.stream().map(i -> PartitionAssignment.target(instances, i, PARTITIONS)).toList();
      assertThat(targets.stream().mapToInt(Integer::intValue).sum()).isEqualTo(PARTITIONS);
      assertThat(targets.stream().mapToInt(Integer::intValue).max().getAsInt()
          - targets.stream().mapToInt(Integer::intValue).min().getAsInt()).isLessThanOrEqualTo(1);
    }
    assertThat(PartitionAssignment.target(List.of("a#0"), "b#0", PARTITIONS)).isZero();
  }

  @Test
  void onlyFreePartitionsAreClaimedAndThoseOfDeadNodesAreFree() {
    Map<Integer, OwnerEntry> owners = new HashMap<>();
    owners.put(0, OwnerEntry.owns("alive#0"));
    owners.put(1, OwnerEntry.owns("dead#0"));
    owners.put(2, OwnerEntry.released("alive#0", "token-1"));
    List<Integer> order = PartitionAssignment.claimOrder(5, owners, Set.of("alive", "me")::contains, "me#0", p -> false);
    assertThat(order).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(owners.get(2).node()).isEqualTo("alive");
    assertThat(owners.get(2).owner()).isEqualTo("alive#0");
    assertThat(owners.get(2).token()).isEqualTo("token-1");
    assertThat(owners.get(0).token()).isNull();
  }

  @Test
  void partitionsWithALocalJournalComeFirst() {
    List<Integer> order = PartitionAssignment.claimOrder(8, Map.of(), Set.of("me")::contains, "me#0", p -> p == 5 || p == 6);
    assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(5, 6);
    assertThat(order).hasSize(8);
  }

  @Test
  void instancesClaimingAtOnceStartFromDifferentPartitions() {
    Set<Integer> firsts = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      firsts.add(PartitionAssignment.claimOrder(PARTITIONS, Map.of(), Set.of("n" + i)::contains, "n" + i + "#0", p -> false).get(0));
    }
    assertThat(firsts).hasSizeGreaterThan(4);
  }

  /** Simulated to convergence: a join moves only the newcomer's share, and every partition keeps one owner. */
  @Test
  void aJoinMovesOnlyTheNewcomersShare() {
    Map<Integer, OwnerEntry> owners = new HashMap<>();
    converge(owners, List.of("a#0", "b#0"));
    Map<Integer, OwnerEntry> before = new HashMap<>(owners);
    converge(owners, List.of("a#0", "b#0", "c#0"));
    long moved = IntStream.range(0, PARTITIONS).filter(p -> !owners.get(p).equals(before.get(p))).count();
    assertThat(owners).hasSize(PARTITIONS);
    assertThat(owners.values()).noneMatch(OwnerEntry::isReleased);
    assertThat(owners.values().stream().filter(e -> e.servedBy("c#0")).count()).isEqualTo(moved).isBetween(21L, 22L);
  }

  /** Plays each instance's reconcile pass in turn, as the real ones do on their own, until nothing changes. */
  private static void converge(Map<Integer, OwnerEntry> owners, List<String> instances) {
    Set<String> live = new HashSet<>();
    instances.forEach(i -> live.add(OwnerEntry.owns(i).node()));
    for (int round = 0; round < 20; round++) {
      boolean changed = false;
      for (String me : instances) {
        int target = PartitionAssignment.target(instances, me, PARTITIONS);
        List<Integer> mine = new ArrayList<>();
        owners.forEach((p, owner) -> {
          if (owner.servedBy(me)) {
            mine.add(p);
          }
        });
        if (mine.size() > target) {
          PartitionAssignment.surplus(mine, me, target).forEach(p -> owners.put(p, OwnerEntry.released(me, "t" + p)));
          changed = true;
        } else {
          for (int p : PartitionAssignment.claimOrder(PARTITIONS, owners, live::contains, me, x -> false)) {
            if (mine.size() >= target) {
              break;
            }
            owners.put(p, OwnerEntry.owns(me));
            mine.add(p);
            changed = true;
          }
        }
      }
      if (!changed) {
        return;
      }
    }
    throw new AssertionError("did not converge: " + owners);
  }
}
