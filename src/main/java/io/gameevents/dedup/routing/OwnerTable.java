package io.gameevents.dedup.routing;

import io.gameevents.cluster.ClusterView;
import io.gameevents.dedup.ownership.OwnerEntry;
import io.gameevents.dedup.ownership.OwnerReader;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Map;

/**
 * Where the HTTP stage sends each partition's events: its owner's instance address, as last read
 * from the owner map, so a request's events cost one message per owner rather than one per
 * partition. Only a routing hint: the owner admits an event only while it serves its partition,
 * and answers MISROUTED otherwise, so a stale table costs a resend, never a wrong accept.
 * Refreshed once a second and whenever a partition is given up. Entries without a valid proof of
 * {@code cluster.secret} are read as {@link OwnerReader} says: a rogue's entry routes nothing to it.
 */
public final class OwnerTable {

  private final Vertx vertx;
  private final int partitions;
  private final String nodeId;
  private final OwnerReader reader;
  private volatile String[] addresses;
  private volatile boolean[] local;
  private AsyncMap<Integer, Object> owners;
  private boolean reading;

  /** Owners on {@code view}'s node are sent to without asking the cluster. */
  public OwnerTable(Vertx vertx, int partitions, ClusterView view) {
    this.vertx = vertx;
    this.partitions = partitions;
    this.nodeId = view.selfId();
    this.reader = new OwnerReader(partitions, view.key(), view.unproven());
    this.addresses = new String[partitions];
    this.local = new boolean[partitions];
  }

  public void start() {
    vertx.sharedData().<Integer, Object>getAsyncMap(Pipeline.DEDUP_OWNERS).onSuccess(map -> {
      owners = map;
      refresh();
      vertx.setPeriodic(1000, id -> refresh());
      vertx.eventBus().consumer(Pipeline.DEDUP_OWNERS_CHANGED, message -> refresh());
    });
  }

  /** The owner's instance address, or null when no serving owner is known. */
  String addressOf(int partition) {
    return addresses[partition];
  }

  /**
   * Whether the owner runs on this node: the send then stays local (measured: a clustered send to
   * a local consumer still asks the cluster's registry, and cost a third of batch throughput).
   */
  boolean isLocal(int partition) {
    return local[partition];
  }

  private void refresh() {
    if (owners == null || reading) {
      return;
    }
    reading = true;
    owners.entries().onComplete(read -> {
      reading = false;
      if (read.succeeded()) {
        boolean[] onThisNode = new boolean[partitions];
        String[] next = table(reader.read(read.result()).entries(), onThisNode);
        local = onThisNode;
        addresses = next;
      }
    });
  }

  private String[] table(Map<Integer, OwnerEntry> entries, boolean[] onThisNode) {
    String[] next = new String[partitions];
    entries.forEach((partition, entry) -> {
      if (!entry.isReleased()) {
        next[partition] = Pipeline.dedupInstanceAddress(entry.owner());
        onThisNode[partition] = entry.node().equals(nodeId);
      }
    });
    return next;
  }
}
