package io.gameevents.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's view of the cluster: which nodes are members and what each runs (their
 * {@link NodeRoles}). Without {@code -cluster} it holds this node alone, so the stages need no
 * special case. Refreshed on every Hazelcast membership change and once a second; nodes that
 * announced they are draining ({@link #announceLeaving}) are left out at once, before they leave.
 * Listeners are called on the view's context and must hop to their own.
 *
 * <p>Only what proves {@code cluster.secret} counts ({@link NodeProof}): a member whose metadata does not verify
 * is no node here (no partition, no traffic), and a leaving notice counts only with a valid proof naming the
 * node's current start token. Open-source Hazelcast lets anyone join; these proofs are what a joiner lacks.
 */
public final class ClusterView implements Membership {

  public record Node(String id, NodeRoles roles) {
  }

  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final String selfId;
  private final NodeRoles self;
  private final ClusterKey key;
  private final UnprovenEntries unproven;
  private final Map<String, NodeRoles> known = new ConcurrentHashMap<>();
  /** Each proven member's start token (self's included), which its leaving notice must name. */
  private final Map<String, String> startTokens = new ConcurrentHashMap<>();
  /** Members whose metadata did not verify: not fetched again while they stay members. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  /** What refused members claim to run, for the start-up check only: it tells another secret from a stranger. */
  private final Map<String, NodeRoles> unprovenClaims = new ConcurrentHashMap<>();
  /** Proven leaving notices: node id -> the start token they name. */
  private final Map<String, String> leaving = new ConcurrentHashMap<>();
  private final String selfStartToken;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile List<Node> members;
  private long timer = -1;
  private java.util.UUID membershipListener;

  private ClusterView(Vertx vertx, NodeRoles self, ClusterKey key, UnprovenEntries unproven) {
    this.vertx = vertx;
    this.clusterManager = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
    this.selfId = clusterManager == null ? "local" : clusterManager.getNodeId();
    this.self = self;
    this.key = key;
    this.unproven = unproven;
    NodeInfo own = clusterManager == null ? null : clusterManager.getNodeInfo();
    this.selfStartToken = own == null || own.metadata() == null ? ""
        : own.metadata().getString(NodeProof.START_TOKEN, "");
    this.members = List.of(new Node(selfId, self));
    known.put(selfId, self);
    startTokens.put(selfId, selfStartToken);
  }

  /**
   * Starts watching; completes once the first view is known. Call on a verticle's context.
   *
   * @param key      proves and checks what members write into Hazelcast
   * @param unproven where entries without a valid proof are counted
   */
  public static Future<ClusterView> start(Vertx vertx, NodeRoles self, ClusterKey key, UnprovenEntries unproven) {
    ClusterView view = new ClusterView(vertx, self, key, unproven);
    if (view.clusterManager == null) {
      return Future.succeededFuture(view);
    }
    vertx.eventBus().<Object>consumer(Pipeline.CLUSTER_LEAVING, view::onLeaving);
    if (view.clusterManager instanceof HazelcastClusterManager hazelcast) {
      var context = vertx.getOrCreateContext();
      view.membershipListener = hazelcast.getHazelcastInstance().getCluster().addMembershipListener(
          new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
              context.runOnContext(v -> view.refresh());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
              context.runOnContext(v -> view.refresh());
            }
          });
    }
    view.timer = vertx.setPeriodic(1000, id -> view.refresh());
    return view.refresh().map(view);
  }

  @Override
  public String selfId() {
    return selfId;
  }

  public NodeRoles self() {
    return self;
  }

  public boolean clustered() {
    return clusterManager != null;
  }

  /** The key owner entries are proven with: the same on every member. */
  @Override
  public ClusterKey key() {
    return key;
  }

  @Override
  public UnprovenEntries unproven() {
    return unproven;
  }

  /** Members whose roles are known and that are not draining, sorted by node id (self included while running). */
  @Override
  public List<Node> nodes() {
    return members;
  }

  /** Nodes (self included) that run the delivery stage. */
  public List<Node> deliveryNodes() {
    return members.stream().filter(node -> node.roles().delivery()).toList();
  }

  /** Every proven member's roles as last read, draining ones included: for the partitions check. */
  public Map<String, NodeRoles> allMembers() {
    return Collections.unmodifiableMap(known);
  }

  /** What members whose metadata did not verify claim to run (not to be trusted: for the secret check at start). */
  public Map<String, NodeRoles> unprovenMembers() {
    return Collections.unmodifiableMap(unprovenClaims);
  }

  /**
   * Whether a node is a cluster member right now, as Hazelcast says: fresh, not from the view's
   * last refresh, because deciding that an owner died must never rest on a stale or incomplete list.
   */
  @Override
  public boolean isMember(String nodeId) {
    return clusterManager == null ? selfId.equals(nodeId) : clusterManager.getNodes().contains(nodeId);
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Tells every node (self included) to stop counting this one: its partitions move before it leaves. */
  public void announceLeaving() {
    leaving.put(selfId, selfStartToken);
    publish();
    if (clusterManager != null) {
      vertx.eventBus().publish(Pipeline.CLUSTER_LEAVING, NodeProof.leavingNotice(key, selfId, selfStartToken));
    }
  }

  /**
   * A notice counts once its proof holds; it takes effect only while it names the node's current start token
   * (checked in publish, as the token may be learnt after the notice).
   */
  private void onLeaving(Message<Object> message) {
    Object body = message.body();
    String node = body instanceof JsonObject notice ? NodeProof.verifyLeaving(key, notice) : null;
    if (node == null) {
      unproven.leaving(body instanceof JsonObject notice && notice.getValue("node") instanceof String claimed
          ? claimed : null);
      return;
    }
    String token = ((JsonObject) body).getString(NodeProof.START_TOKEN);
    String current = startTokens.get(node);
    if (current != null && !current.equals(token)) {
      unproven.leaving(node); // proven once, for an earlier run of that node: a replay
      return;
    }
    if (!token.equals(leaving.put(node, token))) {
      publish();
    }
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (membershipListener != null && clusterManager instanceof HazelcastClusterManager hazelcast
        && hazelcast.getHazelcastInstance().getLifecycleService().isRunning()) {
      hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
    }
  }

  /** Reads the member list; fetches the roles of nodes seen for the first time. */
  public Future<Void> refresh() {
    if (clusterManager == null || !clusterManager.isActive()) {
      return Future.succeededFuture();
    }
    List<String> ids = clusterManager.getNodes();
    known.keySet().retainAll(ids);
    startTokens.keySet().retainAll(ids);
    refused.retainAll(ids);
    unprovenClaims.keySet().retainAll(ids);
    leaving.keySet().retainAll(ids);
    List<Future<?>> lookups = new ArrayList<>();
    for (String id : ids) {
      if (!known.containsKey(id) && !refused.contains(id)) {
        Promise<NodeInfo> info = Promise.promise();
        clusterManager.getNodeInfo(id, info);
        lookups.add(info.future().onSuccess(node -> learn(id, node, ids)));
      }
    }
    return Future.join(lookups).otherwiseEmpty().compose(done -> {
      publish();
      return Future.<Void>succeededFuture();
    }).recover(e -> Future.succeededFuture());
  }

  private void learn(String id, NodeInfo node, List<String> ids) {
    NodeProof.Proven proven = NodeProof.verify(key, id, node);
    if (proven != null && ids.contains(id)) {
      startTokens.put(id, proven.startToken());
      known.put(id, proven.roles());
    } else if (proven == null && NodeProof.claimsRoles(node)) {
      refused.add(id);
      unproven.node(id);
      NodeRoles claimed = NodeProof.claimedRoles(node);
      if (claimed != null) {
        unprovenClaims.put(id, claimed);
      }
    }
  }

  private void publish() {
    Map<String, NodeRoles> sorted = new TreeMap<>(known);
    List<Node> next = new ArrayList<>();
    sorted.forEach((id, roles) -> {
      String leftWith = leaving.get(id);
      if (leftWith == null || !leftWith.equals(startTokens.get(id))) {
        next.add(new Node(id, roles));
      }
    });
    if (!next.equals(members)) {
      members = List.copyOf(next);
      listeners.forEach(Runnable::run);
    }
  }
}
