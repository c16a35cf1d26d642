package io.gameevents.dedup.ownership;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.Membership;
import io.gameevents.cluster.NodeRoles;
import io.gameevents.cluster.SharedSettings;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.config.ClusterSecret;
import io.gameevents.pipeline.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PartitionOwnership} on its own: a local owner map, a scripted membership and a host that records what it
 * is asked to take, give up and drop. Each instance runs on its own context, as each dedup verticle does.
 */
class PartitionOwnershipTest {

  private static final int PARTITIONS = 8;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ClusterKey KEY = ClusterKey.derive(ClusterSecret.of("ownership-test-secret-0123456789abcdef"));

  private Vertx vertx;
  private AsyncMap<Integer, Object> owners;
  private final ScriptedMembership view = new ScriptedMembership("me");

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    owners = get(vertx.sharedData().<Integer, Object>getAsyncMap(Pipeline.DEDUP_OWNERS));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  @Test
  void aLoneInstanceClaimsEveryPartition() throws Exception {
    view.dedupNode("me", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());

    assertThat(me.host.held).hasSize(PARTITIONS);
    assertThat(me.host.taken).containsOnlyKeys(all()).allSatisfy((p, previous) -> assertThat(previous).isEqualTo(NONE));
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(stored(p)).as("partition %d", p).isEqualTo(OwnerEntry.owns("me#0"));
    }
  }

  /**
   * Two instances of one node starting at once from the same empty map, both preferring the same partitions (the
   * node's journals, on the disk they share): they split the partitions, each won by exactly one, never served by
   * both. (Vert.x's local map completes one pass before the other reads, so the compare-and-set itself is not
   * raced here; ClusterTest#noIdIsAcceptedTwiceWhilePartitionsMove races it across nodes.)
   */
  @Test
  void twoClaimersStartingAtOnceSplitThePartitions() throws Exception {
    view.dedupNode("me", 2);
    Instance first = instance(0, p -> p < PARTITIONS / 2);
    Instance second = instance(1, p -> p < PARTITIONS / 2);
    Future<Void> a = first.onContext(() -> first.ownership.start());
    Future<Void> b = second.onContext(() -> second.ownership.start());
    get(Future.all(a, b));
    await().atMost(WAIT).until(() -> {
      get(first.onContext(() -> first.ownership.reconcile()));
      get(second.onContext(() -> second.ownership.reconcile()));
      return first.host.held.size() == PARTITIONS / 2 && second.host.held.size() == PARTITIONS / 2;
    });

    Set<Integer> both = new HashSet<>(first.host.taken.keySet());
    both.retainAll(second.host.taken.keySet());
    assertThat(both).as("taken by both, ever: served twice at once").isEmpty();
    for (int p : first.host.held) {
      assertThat(stored(p)).isEqualTo(OwnerEntry.owns("me#0"));
    }
    for (int p : second.host.held) {
      assertThat(stored(p)).isEqualTo(OwnerEntry.owns("me#1"));
    }
  }

  /** Entries naming an owner whose node left the cluster: taken over, the host told whose they were. */
  @Test
  void theDeadOwnersPartitionsAreTakenOver() throws Exception {
    for (int p = 0; p < PARTITIONS; p++) {
      get(owners.put(p, OwnerEntry.owns("dead#0").format(p, KEY)));
    }
    view.dedupNode("me", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());

    assertThat(me.host.held).hasSize(PARTITIONS);
    assertThat(me.host.taken.values()).containsOnly(OwnerEntry.owns("dead#0"));
  }

  /** A live owner's entries are not touched: nothing is free. */
  @Test
  void aLiveOwnersPartitionsAreLeftAlone() throws Exception {
    for (int p = 0; p < PARTITIONS; p++) {
      get(owners.put(p, OwnerEntry.owns("other#0").format(p, KEY)));
    }
    view.dedupNode("me", 1);
    view.dedupNode("other", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());

    assertThat(me.host.held).isEmpty();
    assertThat(stored(0)).isEqualTo(OwnerEntry.owns("other#0"));
  }

  /** A partition given up in order is taken with the token its ids are served at. */
  @Test
  void aReleasedPartitionIsTakenWithItsHandoverToken() throws Exception {
    for (int p = 0; p < PARTITIONS; p++) {
      get(owners.put(p, OwnerEntry.released("other#0", "token-" + p).format(p, KEY)));
    }
    view.dedupNode("me", 1);
    view.dedupNode("other", 1); // still a member, draining: its released entries are free
    view.nodes.removeIf(node -> node.id().equals("other"));
    Instance me = instance(0);
    me.call(() -> me.ownership.start());

    assertThat(me.host.taken).hasSize(PARTITIONS)
        .allSatisfy((p, previous) -> assertThat(previous).isEqualTo(OwnerEntry.released("other#0", "token-" + p)));
  }

  /** A node joins: the owner gives up its surplus, each leaving an entry with the token of its handover. */
  @Test
  void aJoinMakesTheOwnerReleaseItsSurplus() throws Exception {
    view.dedupNode("me", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());
    view.dedupNode("other", 1);
    me.call(() -> me.ownership.reconcile());

    await().atMost(WAIT).until(() -> me.host.held.size() == PARTITIONS / 2);
    assertThat(me.host.givenUp).hasSize(PARTITIONS / 2);
    for (int p : me.host.givenUp) {
      int partition = p;
      await().atMost(WAIT).until(() -> OwnerEntry.released("me#0", "token-" + partition).equals(stored(partition)));
    }
    for (int p : me.host.held) {
      assertThat(stored(p)).isEqualTo(OwnerEntry.owns("me#0"));
    }
  }

  /**
   * The holder's picture is stale: the map gives one of its partitions to another owner (this node was declared
   * dead meanwhile). It stops serving it at once, without a handover.
   */
  @Test
  void aHolderWhoseEntryNamesAnotherOwnerDropsThePartition() throws Exception {
    view.dedupNode("me", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());
    view.dedupNode("other", 1);
    get(owners.put(3, OwnerEntry.owns("other#0").format(3, KEY)));
    me.call(() -> me.ownership.reconcile());

    assertThat(me.host.lost).containsExactly(Map.entry(3, "other#0"));
    assertThat(me.host.held).doesNotContain(3);
  }

  /** A value without the cluster's proof over a held partition's entry: the owner keeps it and writes its entry back. */
  @Test
  void anUnprovenEntryOverAHeldPartitionIsWrittenBack() throws Exception {
    view.dedupNode("me", 1);
    Instance me = instance(0);
    me.call(() -> me.ownership.start());
    ClusterKey rogue = ClusterKey.derive(ClusterSecret.of("a-rogue-guess-at-the-secret-0123456789"));
    get(owners.put(5, OwnerEntry.owns("rogue#0").format(5, rogue)));
    me.call(() -> me.ownership.reconcile());

    await().atMost(WAIT).until(() -> OwnerEntry.owns("me#0").equals(stored(5)));
    assertThat(me.host.lost).isEmpty();
    assertThat(me.host.held).hasSize(PARTITIONS);
  }

  // --- helpers ---

  private static Set<Integer> all() {
    Set<Integer> all = new HashSet<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.add(p);
    }
    return all;
  }

  private OwnerEntry stored(int partition) throws Exception {
    return OwnerEntry.parse(partition, get(owners.get(partition)), KEY);
  }

  private Instance instance(int index) throws Exception {
    return instance(index, p -> false);
  }

  private Instance instance(int index, java.util.function.IntPredicate hasJournal) throws Exception {
    Context context = vertx.getOrCreateContext();
    RecordingHost host = new RecordingHost();
    Promise<PartitionOwnership> made = Promise.promise();
    context.runOnContext(v -> made.complete(new PartitionOwnership(vertx, view, PARTITIONS, index, host, hasJournal)));
    return new Instance(context, get(made.future()), host);
  }

  private record Instance(Context context, PartitionOwnership ownership, RecordingHost host) {

    <T> Future<T> onContext(Supplier<Future<T>> call) {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> call.get().onComplete(done));
      return done.future();
    }

    <T> T call(Supplier<Future<T>> call) throws Exception {
      return get(onContext(call));
    }
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Takes and gives up at once; records what it was asked. */
  private static final class RecordingHost implements PartitionOwnership.Host {
    final Set<Integer> held = ConcurrentHashMap.newKeySet();
    final Map<Integer, OwnerEntry> taken = new ConcurrentHashMap<>();
    final List<Integer> givenUp = new CopyOnWriteArrayList<>();
    final List<Map.Entry<Integer, String>> lost = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> take(int partition, OwnerEntry previous) {
      if (previous != null) {
        taken.put(partition, previous);
      } else {
        taken.put(partition, NONE);
      }
      held.add(partition);
      return Future.succeededFuture();
    }

    @Override
    public Future<String> giveUp(int partition) {
      held.remove(partition);
      givenUp.add(partition);
      return Future.succeededFuture("token-" + partition);
    }

    @Override
    public Set<Integer> held() {
      return held;
    }

    @Override
    public void lost(int partition, String nowOwnedBy) {
      held.remove(partition);
      lost.add(Map.entry(partition, String.valueOf(nowOwnedBy)));
    }
  }

  /** Stands for "nobody owned it" in {@link RecordingHost#taken}, which cannot hold null. */
  private static final OwnerEntry NONE = OwnerEntry.owns("none#0");

  /** Members as the test says; every listed node is a member unless removed from {@code members}. */
  private static final class ScriptedMembership implements Membership {
    final String self;
    final List<ClusterView.Node> nodes = new CopyOnWriteArrayList<>();
    final Set<String> members = ConcurrentHashMap.newKeySet();
    final List<Runnable> listeners = new ArrayList<>();
    final UnprovenEntries unproven = new UnprovenEntries(new SimpleMeterRegistry());

    ScriptedMembership(String self) {
      this.self = self;
    }

    void dedupNode(String id, int instances) {
      nodes.add(new ClusterView.Node(id, new NodeRoles(false, true, true, instances,
          new SharedSettings(PARTITIONS, 500, 32 * 1024, null, KEY.fingerprint()))));
      nodes.sort(java.util.Comparator.comparing(ClusterView.Node::id));
      members.add(id);
    }

    @Override
    public String selfId() {
      return self;
    }

    @Override
    public List<ClusterView.Node> nodes() {
      return List.copyOf(nodes);
    }

    @Override
    public boolean isMember(String nodeId) {
      return members.contains(nodeId);
    }

    @Override
    public void onChange(Runnable listener) {
      listeners.add(listener);
    }

    @Override
    public ClusterKey key() {
      return KEY;
    }

    @Override
    public UnprovenEntries unproven() {
      return unproven;
    }
  }
}
