package io.gameevents.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig;
import io.gameevents.config.ClusterSecret;
import io.gameevents.config.ConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * Turns the {@code cluster} config section into a Hazelcast member and clustered event-bus options.
 * Used by {@link io.gameevents.Main} for {@code -cluster} and by the cluster tests, so both join alike.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  /**
   * What {@code -cluster} demands before anything binds: a cluster name of the operator's own, and, on an address
   * others can reach, an event bus that only takes members (TLS with client certificates) unless the operator says
   * the network is private. Throws {@link ConfigException} naming the key; the member's TLS files are checked too.
   */
  public static void check(AppConfig config) {
    ClusterConfig cluster = config.cluster();
    if (cluster.name() == null || cluster.name().isBlank()) {
      throw new ConfigException("config key 'cluster.name' is required with -cluster: give every cluster a name of"
          + " its own, so that no other cluster's members join it by accident");
    }
    if (cluster.tls() != null) {
      ClusterTls.load(cluster.tls());
    } else if (!loopback(cluster.host())) {
      if (!cluster.insecurePlaintext()) {
        throw new ConfigException("config key 'cluster.tls' is required with -cluster on cluster.host "
            + cluster.host() + ", which is not a loopback address: without it any peer that reaches the event bus"
            + " can send into the pipeline (set cluster.insecure_plaintext to true only on a private network)");
      }
      LoggerFactory.getLogger(ClusterSetup.class).warn("cluster.insecure_plaintext is true: the event bus on {} is"
          + " plain TCP and takes messages from any peer that reaches it; only the network keeps others out",
          cluster.host());
    }
    if (cluster.secret() == null) {
      throw new ConfigException("config key 'cluster.secret' is required with -cluster: members prove with it what"
          + " they write into Hazelcast, which takes anyone who reaches its port (`openssl rand -hex 32`, the same on"
          + " every member)");
    }
  }

  /** An unresolvable host is taken as reachable from outside: the safe answer. */
  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * A clustered Vert.x as {@code -cluster} builds it: the Hazelcast member, and with {@code cluster.tls} the
   * transport that counts the peers the event bus refuses ({@link PeerWatchingTransport}) into {@code registry}.
   */
  public static VertxBuilder clustered(VertxBuilder builder, AppConfig config, Supplier<MeterRegistry> registry) {
    builder.withClusterManager(clusterManager(config));
    if (config.cluster().tls() != null) {
      builder.withTransport(new PeerWatchingTransport(new RefusedPeers(registry)));
    }
    return builder;
  }

  /**
   * With {@code cluster.secret} the node's metadata carries its proof; without it (only a test's stranger) it
   * carries none.
   */
  public static HazelcastClusterManager clusterManager(AppConfig config) {
    ClusterSecret secret = config.cluster().secret();
    return secret == null ? new HazelcastClusterManager(hazelcast(config.cluster()))
        : new ProvenClusterManager(hazelcast(config.cluster()), ClusterKey.derive(secret));
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
    hz.getSerializationConfig().setJavaSerializationFilterConfig(deserializationFilter());

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

  /**
   * Hazelcast's member port takes anything that connects (open-source Hazelcast has no member authentication), and
   * a Java-serialized object from a peer can be a gadget chain that runs code as it is read. With the filter on,
   * Java deserialization resolves only classes of the JDK ({@code java*}), of Hazelcast and arrays, minus Hazelcast's
   * blacklist of known gadgets. Nothing else is needed: Vert.x's cluster manager writes its entries as Hazelcast
   * DataSerializable, and our own maps hold Integer and String, which Hazelcast serializes natively (the cluster
   * tests run with the filter on and nothing is refused).
   */
  static JavaSerializationFilterConfig deserializationFilter() {
    return new JavaSerializationFilterConfig().setDefaultsDisabled(false);
  }

  /**
   * The clustered event bus binds the same host; the node's roles travel as its metadata; with {@code cluster.tls}
   * it speaks TLS both ways and refuses a peer without a member certificate.
   */
  public static VertxOptions options(VertxOptions options, AppConfig config) {
    ClusterConfig cluster = config.cluster();
    options.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterNodeMetadata(NodeRoles.of(config).toJson());
    if (cluster.tls() != null) {
      ClusterTls.load(cluster.tls()).apply(options.getEventBusOptions());
    }
    return options;
  }
}
