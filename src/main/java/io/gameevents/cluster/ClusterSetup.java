package io.gameevents.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Turns the {@code cluster} config section into a Hazelcast member and clustered event-bus options.
 * Used by {@link io.gameevents.Main} for {@code -cluster} and by the cluster tests, so both join alike.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  public static HazelcastClusterManager clusterManager(AppConfig config) {
    return new HazelcastClusterManager(hazelcast(config.cluster()));
  }

  /**
   * Vert.x's bundled Hazelcast config (its internal maps and multimap), with TCP/IP discovery of
   * the configured seeds instead of multicast, and failure detection tuned so that a dead member's
   * partitions are taken over in seconds, not Hazelcast's default minute.
   */
  static Config hazelcast(ClusterConfig cluster) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.failureDetectionSeconds()));
    // bind and advertise exactly the configured address, not whatever interface Hazelcast picks
    hz.setProperty("hazelcast.local.localAddress", cluster.host());
    hz.setProperty("hazelcast.socket.bind.any", "false");

    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesServiceDns() != null) {
      // DNS lookup of a headless Service: needs no Kubernetes API permission
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns())
          .setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true);
      cluster.members().forEach(member -> join.getTcpIpConfig().addMember(member.toString()));
    }
    return hz;
  }

  /** The clustered event bus binds the same host; the node's roles travel as its metadata. */
  public static VertxOptions options(VertxOptions options, AppConfig config) {
    ClusterConfig cluster = config.cluster();
    options.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterNodeMetadata(NodeRoles.of(config).toJson());
    return options;
  }
}
