package io.gameevents.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.UUID;

/**
 * Vert.x's Hazelcast cluster manager, publishing this node's metadata with its proof ({@link NodeProof}): the
 * proof names the node id, which Hazelcast assigns only once the node joined, just before the event bus
 * publishes the metadata here.
 */
final class ProvenClusterManager extends HazelcastClusterManager {

  private final ClusterKey key;
  private final String startToken = UUID.randomUUID().toString();

  ProvenClusterManager(Config config, ClusterKey key) {
    super(config);
    this.key = key;
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    super.setNodeInfo(NodeProof.sign(key, getNodeId(), nodeInfo, startToken), promise);
  }
}
