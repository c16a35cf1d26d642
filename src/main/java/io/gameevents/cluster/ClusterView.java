package io.gameevents.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
 */
public final class ClusterView {

  public record Node(String id, NodeRoles roles) {
  }

  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final String selfId;
  private final NodeRoles self;
  private final Map<String, NodeRoles> known = new ConcurrentHashMap<>();
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile List<Node> members;
  private long timer = -1;
  private java.util.UUID membershipListener;

  private ClusterView(Vertx vertx, NodeRoles self) {
    this.vertx = vertx;
    this.clusterManager = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
    this.selfId = clusterManager == null ? "local" : clusterManager.getNodeId();
    this.self = self;
    this.members = List.of(new Node(selfId, self));
    known.put(selfId, self);
  }

  /** Starts watching; completes once the first view is known. Call on a verticle's context. */
  public static Future<ClusterView> start(Vertx vertx, NodeRoles self) {
    ClusterView view = new ClusterView(vertx, self);
    if (view.clusterManager == null) {
      return Future.succeededFuture(view);
    }
    vertx.eventBus().<String>consumer(Pipeline.CLUSTER_LEAVING, message -> {
      if (view.leaving.add(message.body())) {
        view.publish();
      }
    });
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

  public String selfId() {
    return selfId;
  }

  public NodeRoles self() {
    return self;
  }

  public boolean clustered() {
    return clusterManager != null;
  }

  /** Members whose roles are known and that are not draining, sorted by node id (self included while running). */
  public List<Node> nodes() {
    return members;
  }

  /** Nodes (self included) that run the delivery stage. */
  public List<Node> deliveryNodes() {
    return members.stream().filter(node -> node.roles().delivery()).toList();
  }

  /** Every member's roles as last read, draining ones included: for the partitions check. */
  public Map<String, NodeRoles> allMembers() {
    return Collections.unmodifiableMap(known);
  }

  /**
   * Whether a node is a cluster member right now, as Hazelcast says: fresh, not from the view's
   * last refresh, because deciding that an owner died must never rest on a stale or incomplete list.
   */
  public boolean isMember(String nodeId) {
    return clusterManager == null ? selfId.equals(nodeId) : clusterManager.getNodes().contains(nodeId);
  }

  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Tells every node (self included) to stop counting this one: its partitions move before it leaves. */
  public void announceLeaving() {
    leaving.add(selfId);
    publish();
    if (clusterManager != null) {
      vertx.eventBus().publish(Pipeline.CLUSTER_LEAVING, selfId);
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
    leaving.retainAll(ids);
    List<Future<?>> lookups = new ArrayList<>();
    for (String id : ids) {
      if (!known.containsKey(id)) {
        Promise<NodeInfo> info = Promise.promise();
        clusterManager.getNodeInfo(id, info);
        lookups.add(info.future().onSuccess(node -> {
          NodeRoles roles = NodeRoles.fromJson(node.metadata());
          if (roles != null && ids.contains(id)) {
            known.put(id, roles);
          }
        }));
      }
    }
    return Future.join(lookups).otherwiseEmpty().compose(done -> {
      publish();
      return Future.<Void>succeededFuture();
    }).recover(e -> Future.succeededFuture());
  }

  private void publish() {
    Map<String, NodeRoles> sorted = new TreeMap<>(known);
    List<Node> next = new ArrayList<>();
    sorted.forEach((id, roles) -> {
      if (!leaving.contains(id)) {
        next.add(new Node(id, roles));
      }
    });
    if (!next.equals(members)) {
      members = List.copyOf(next);
      listeners.forEach(Runnable::run);
    }
  }
}
