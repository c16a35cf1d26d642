package io.gameevents.dedup.routing;

import io.gameevents.cluster.ClusterView;
import io.gameevents.dedup.ownership.OwnerReader;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the HTTP stage sends each partition's events: its owner's instance address, as last read
 * from the owner map, so a request's events cost one message per owner rather than one per
 * partition. Only a routing hint: the owner admits an event only while it serves its partition,
 * and answers {@link DedupReply#NOT_SERVED_HERE} otherwise, so a stale table costs a resend, never a
 * wrong accept.
 * Refreshed once a second, whenever a partition is given up, and when a sender was misled
 * ({@link #reread}). Entries without a valid proof of {@code cluster.secret} are read as
 * {@link OwnerReader} says: a rogue's entry routes nothing to it.
 */
public final class OwnerTable {

  /** A partition's serving owner as the owner map last said: its instance address, its node, whether that is this one. */
  record Owner(String address, String node, boolean local) {
  }

  private final Vertx vertx;
  private final int partitions;
  private final String nodeId;
  private final OwnerReader reader;
  private volatile Owner[] owners;
  private final Future<AsyncMap<Integer, Object>> map;
  /** The read under way, if any: callers of {@link #reread} meanwhile share it. */
  private volatile Future<Void> reading;

  /** Owners on {@code view}'s node are sent to without asking the cluster. */
  public OwnerTable(Vertx vertx, int partitions, ClusterView view) {
    this.vertx = vertx;
    this.partitions = partitions;
    this.nodeId = view.selfId();
    this.reader = new OwnerReader(partitions, view.key(), view.unproven());
    this.owners = new Owner[partitions];
    this.map = vertx.sharedData().getAsyncMap(Pipeline.DEDUP_OWNERS);
  }

  public void start() {
    map.onSuccess(started -> {
      reread();
      vertx.setPeriodic(1000, id -> reread());
      vertx.eventBus().consumer(Pipeline.DEDUP_OWNERS_CHANGED, message -> reread());
    });
  }

  /**
   * The partition's serving owner, or null when none is known. An owner on this node is sent to without asking the
   * cluster (measured: a clustered send to a local consumer still asks the cluster's registry, and cost a third of
   * batch throughput).
   */
  Owner ownerOf(int partition) {
    return owners[partition];
  }

  /**
   * Reads the owner map now (every second, when a partition is given up, and for a sender the table misled):
   * completes once the table holds what was read. Callers while a read is under way share it, so a partition that
   * moves under load costs a read per round trip, not one per request.
   */
  Future<Void> reread() {
    Future<Void> current = reading;
    if (current != null && !current.isComplete()) {
      return current;
    }
    Future<Void> read = map.compose(AsyncMap::entries).<Void>map(entries -> {
      owners = table(entries);
      return null;
    }).otherwiseEmpty();
    reading = read;
    return read;
  }

  /** One {@link Owner} per owner, shared by its partitions: a sender groups a request's events by identity. */
  private Owner[] table(Map<Integer, Object> raw) {
    Owner[] next = new Owner[partitions];
    Map<String, Owner> byName = new HashMap<>();
    reader.read(raw).entries().forEach((partition, entry) -> {
      if (!entry.isReleased()) {
        next[partition] = byName.computeIfAbsent(entry.owner(), name -> new Owner(
            Pipeline.dedupInstanceAddress(name), entry.node(), entry.node().equals(nodeId)));
      }
    });
    return next;
  }
}
