package io.gameevents.pipeline;

/**
 * The whole flow in one place.
 *
 * <pre>
 *   HttpVerticle  --EventBatch--&gt;  dedup.instance.&lt;owner&gt;  the events of a request whose partitions
 *                                                     p = hash(app_id, event_id) mod dedup.partitions
 *                                                     one dedup instance owns (one message per owner,
 *                                                     as the owner map says; exactly one instance in the
 *                                                     cluster serves p, and an owner that does not
 *                                                     serve it says so)
 *                 --DedupProbe--&gt;  dedup.&lt;p&gt;        readiness: is p served (JSON answer)
 *                 &lt;--DedupReply--                     Outcomes, or why the events were not looked at
 *                                                     (dedup.routing: the dedup stage's own types)
 *   DedupVerticle --EventBatch--&gt;  delivery.&lt;node&gt;  this node's delivery stage (local only) when it
 *                                                     has one, else another node's, round-robin
 *   DeliveryVerticle batches, writes to the Sink, replies Outcomes once the sink confirmed.
 *   Outcomes travel back the same way: delivery -&gt; dedup (commit/release ids) -&gt; http (status code).
 * </pre>
 *
 * One message per HTTP request (per dedup partition), never one per event. Every address has
 * its consumers on one node only (a partition's owner; a node's delivery instances), so the
 * clustered event bus never has to weigh nodes against each other.
 *
 * <p>Control addresses: who owns which partition ({@link #DEDUP_OWNERS}, a cluster-wide map),
 * the ids a partition's previous owner hands to the next ({@link #dedupHandoverAddress}),
 * the news that a node drains ({@link #CLUSTER_LEAVING}, to the cluster; {@link #deliveryDrainAddress}, to
 * the node's own delivery stage).
 *
 * <p>This is the address book; how the messages ({@link EventBatch} one way, {@link Outcomes} back) are encoded
 * and sent is {@link Wire}.
 */
public final class Pipeline {

  /** Prefix of the per-instance dedup addresses: an event id always lands on the same instance. */
  public static final String DEDUP_PREFIX = "game-events.dedup.";

  /** A node's delivery instances share its address; the event bus spreads messages round-robin among them. */
  public static final String DELIVERY_PREFIX = "game-events.delivery.";

  /** Request/reply, this node only: the dedup figures as JSON (in-flight and remembered ids, owned partitions). */
  public static final String DEDUP_HEALTH = "game-events.dedup.health";

  /** Request/reply: a node's sink readiness as JSON {ready, sink, detail}; answered by its delivery instances. */
  public static final String DELIVERY_HEALTH_PREFIX = "game-events.delivery.health.";

  /** Cluster-wide map: partition number -&gt; owning dedup instance ("nodeId#instance"). */
  public static final String DEDUP_OWNERS = "game-events.dedup.owners";

  /** Publish: a partition was given up, so instances short of their share claim it now. */
  public static final String DEDUP_OWNERS_CHANGED = "game-events.dedup.owners.changed";

  /**
   * Publish: a node started draining; the others stop counting it at once. The body is a JSON notice naming the
   * node and its start token, with a proof of {@code cluster.secret} ({@code cluster.NodeProof}).
   */
  public static final String CLUSTER_LEAVING = "game-events.cluster.leaving";

  private Pipeline() {
  }

  public static String dedupAddress(int partition) {
    return DEDUP_PREFIX + partition;
  }

  /** A dedup instance's own address: batches of events from any of the partitions it serves. */
  public static String dedupInstanceAddress(String owner) {
    return DEDUP_PREFIX + "instance." + owner;
  }

  /** Request/reply: page n of the ids a partition's previous owner hands over, one address per handover. */
  public static String dedupHandoverAddress(String token) {
    return DEDUP_PREFIX + "handover." + token;
  }

  public static String deliveryAddress(String nodeId) {
    return DELIVERY_PREFIX + nodeId;
  }

  /**
   * Publish, this node only: the node started draining. No new request will fill a batch, so its delivery
   * instances write what they hold at once instead of waiting out {@code delivery.linger_ms}.
   */
  public static String deliveryDrainAddress(String nodeId) {
    return DELIVERY_PREFIX + "drain." + nodeId;
  }

  public static String deliveryHealthAddress(String nodeId) {
    return DELIVERY_HEALTH_PREFIX + nodeId;
  }
}
