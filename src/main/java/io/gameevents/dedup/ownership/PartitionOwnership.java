package io.gameevents.dedup.ownership;

import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.Membership;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Keeps this dedup instance's share of the partitions, cluster-wide. Ownership is an entry
 * {@code partition -> }{@link OwnerEntry} in one shared map ({@link Pipeline#DEDUP_OWNERS}; a
 * Hazelcast map in a cluster, a local one alone), changed only by compare-and-set: a claim is
 * {@code putIfAbsent(p, me)} on no entry or {@code replaceIfPresent(p, seen, me)} on the entry
 * it saw, so of two instances claiming at once exactly one wins. Entries carry a proof of
 * {@code cluster.secret}; one that does not verify is read as {@link OwnerReader} says, and an
 * owner finding its own entry overwritten so writes it back. An instance serves a partition
 * only between winning its entry and giving it up, and gives it up only once it stopped
 * accepting and its reservations settled.
 *
 * <p>Giving up in order replaces the entry with {@link OwnerEntry#released}: the next
 * owner then knows the previous one serves the ids and waits for them. An entry naming an owner
 * whose node is no longer a cluster member (Hazelcast declared it dead) is taken over as it is,
 * with the journal on this node's disk as the only source of ids. Reconciling runs on every
 * cluster change and once a second, on this verticle's context, one pass at a time.
 */
public final class PartitionOwnership {

  private static final Logger log = LoggerFactory.getLogger(PartitionOwnership.class);

  /** What the verticle does once it won or before it gives up a partition. */
  public interface Host {
    /**
     * Won {@code partition}: load its ids and start serving; completes once it serves. {@code
     * previous} is the entry the claim replaced: null (nobody owned it), a released owner (it
     * serves the ids), or a dead one.
     */
    Future<Void> take(int partition, OwnerEntry previous);

    /**
     * Stop serving {@code partition}; completes once another instance may own it, with the token
     * of the address its ids are served at, or null when nobody is expected to take them.
     */
    Future<String> giveUp(int partition);

    /** Partitions held and not being given up (loading or serving). */
    Set<Integer> held();

    /**
     * The map names another owner for a partition this instance holds: stop serving it at once,
     * without a handover (this node was declared dead, e.g. after a long pause, and its partitions
     * were taken over).
     */
    void lost(int partition, String nowOwnedBy);
  }

  private final Vertx vertx;
  private final Context context;
  private final Membership view;
  private final int partitions;
  private final int instance;
  private final String me;
  private final Host host;
  private final IntPredicate hasJournal;
  private final OwnerReader reader;
  private AsyncMap<Integer, Object> owners;
  /** Releases under way, by partition: a drain waits for them all. */
  private final Map<Integer, Future<Void>> releasing = new HashMap<>();
  private boolean running;
  private Future<Void> pass = Future.succeededFuture();
  /** The last pass found this instance short of its share with partitions free to claim. */
  private boolean wantsMore;
  private boolean again;
  private boolean stopped;
  private long timer = -1;

  public PartitionOwnership(Vertx vertx, Membership view, int partitions, int instance, Host host, IntPredicate hasJournal) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.view = view;
    this.partitions = partitions;
    this.instance = instance;
    this.me = PartitionAssignment.ownerName(view.selfId(), instance);
    this.host = host;
    this.hasJournal = hasJournal;
    this.reader = new OwnerReader(partitions, view.key(), view.unproven());
  }

  public String me() {
    return me;
  }

  /** Completes after the first pass: the partitions free at start-up are claimed (alone: all of them). */
  public Future<Void> start() {
    return vertx.sharedData().<Integer, Object>getAsyncMap(Pipeline.DEDUP_OWNERS).compose(map -> {
      owners = map;
      view.onChange(() -> context.runOnContext(v -> reconcile()));
      vertx.eventBus().<String>consumer(Pipeline.DEDUP_OWNERS_CHANGED, message -> reconcile());
      timer = vertx.setPeriodic(1000, id -> reconcile());
      return firstShare(STARTUP_PASSES);
    });
  }

  /** Passes at start-up for instances of one node that claimed the same partitions at once. */
  private static final int STARTUP_PASSES = 20;

  /**
   * Passes until this instance holds its share or no partition is free: a single node then
   * serves every partition once its dedup stage has started, however many instances it has.
   */
  private Future<Void> firstShare(int passes) {
    return reconcile().compose(done -> {
      if (passes <= 1 || !wantsMore) {
        return Future.succeededFuture();
      }
      return firstShare(passes - 1);
    });
  }

  /**
   * Gives up every held partition (each after its reservations settled); used when draining.
   * Completes when those and every release already under way (a rebalance's) are done.
   */
  public Future<Void> releaseAll() {
    stopped = true;
    vertx.cancelTimer(timer);
    for (int partition : List.copyOf(host.held())) {
      release(partition);
    }
    return Future.join(new ArrayList<>(releasing.values())).<Void>mapEmpty().otherwiseEmpty();
  }

  /** One pass (or, when one is under way, a note to run another, and that pass); never fails. */
  public Future<Void> reconcile() {
    if (stopped || owners == null) {
      return Future.succeededFuture();
    }
    if (running) {
      again = true;
      return pass;
    }
    running = true;
    pass = owners.entries().map(reader::read).compose(this::rebalance).transform(done -> {
      if (done.failed()) {
        log.warn("dedup partition ownership: {}", done.cause().toString());
      }
      running = false;
      if (again) {
        again = false;
        reconcile();
      }
      return Future.<Void>succeededFuture();
    });
    return pass;
  }

  private Future<Void> rebalance(OwnerReader.Snapshot current) {
    List<String> instances = new ArrayList<>();
    for (ClusterView.Node node : view.nodes()) {
      if (node.roles().dedup() && node.roles().partitions() == partitions) {
        for (int i = 0; i < node.roles().dedupInstances(); i++) {
          instances.add(PartitionAssignment.ownerName(node.id(), i));
        }
      }
    }
    instances.sort(null);
    for (int partition : List.copyOf(host.held())) {
      OwnerEntry entry = current.get(partition);
      if (entry == null || !entry.servedBy(me)) {
        host.lost(partition, entry == null ? null : entry.owner());
      } else if (current.unproven().contains(partition)) {
        owners.replaceIfPresent(partition, current.raw().get(partition), entry(partition, OwnerEntry.owns(me)));
      }
    }
    int target = PartitionAssignment.target(instances, me, partitions);
    List<Integer> held = new ArrayList<>(host.held());
    wantsMore = false;
    if (held.size() > target) {
      for (int partition : PartitionAssignment.surplus(held, me, target)) {
        release(partition);
      }
      return Future.succeededFuture();
    }
    List<Integer> candidates = PartitionAssignment.claimOrder(partitions, current.entries(), view::isMember, me,
        hasJournal);
    candidates.removeIf(host.held()::contains);
    wantsMore = held.size() < target && !candidates.isEmpty();
    return claim(candidates, target - held.size(), current);
  }

  /**
   * Claims the first {@code wanted} candidates at once (a handover's taker should not make the
   * previous owner wait for one claim after the other); those lost to another claimer are made
   * up on the next pass.
   */
  private Future<Void> claim(List<Integer> candidates, int wanted, OwnerReader.Snapshot seen) {
    List<Future<Void>> claims = new ArrayList<>();
    for (int partition : candidates.subList(0, Math.max(0, Math.min(wanted, candidates.size())))) {
      claims.add(claim(partition, seen.raw().get(partition), seen.get(partition)));
    }
    return Future.join(claims).mapEmpty();
  }

  /**
   * @param stored   the value the claim replaces (null: none), compared as stored
   * @param previous what it was read as: null when nobody owned the partition (or no proven entry is known)
   */
  private Future<Void> claim(int partition, Object stored, OwnerEntry previous) {
    String claim = entry(partition, OwnerEntry.owns(me));
    Future<Boolean> won = stored == null
        ? owners.putIfAbsent(partition, claim).map(existing -> existing == null)
        : owners.replaceIfPresent(partition, stored, claim);
    return won.compose(claimed -> {
      if (claimed && stopped) {
        return owners.removeIfPresent(partition, claim).<Void>mapEmpty();
      }
      if (claimed) {
        if (previous != null && !previous.isReleased()) {
          log.info("dedup partition {}: owner {} left the cluster; taking it over", partition, previous.owner());
        }
        // a partition that could not be loaded (its journal unreadable) is left for another instance
        host.take(partition, previous).onFailure(e -> owners.removeIfPresent(partition, claim));
      }
      return Future.<Void>succeededFuture();
    });
  }

  private String entry(int partition, OwnerEntry entry) {
    return entry.format(partition, view.key());
  }

  private Future<Void> release(int partition) {
    Future<Void> underWay = releasing.get(partition);
    if (underWay != null) {
      return underWay;
    }
    Future<Void> released = host.giveUp(partition)
        .compose(token -> token != null
            ? owners.replaceIfPresent(partition, entry(partition, OwnerEntry.owns(me)),
                entry(partition, OwnerEntry.released(me, token)))
            : owners.removeIfPresent(partition, entry(partition, OwnerEntry.owns(me))))
        .onSuccess(changed -> vertx.eventBus().publish(Pipeline.DEDUP_OWNERS_CHANGED, partition))
        .<Void>mapEmpty()
        .andThen(done -> releasing.remove(partition));
    if (!released.isComplete()) {
      releasing.put(partition, released);
    }
    return released;
  }
}
