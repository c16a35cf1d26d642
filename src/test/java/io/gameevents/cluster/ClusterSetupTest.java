package io.gameevents.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gameevents.config.AppConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast member and event-bus options a node's cluster section turns into. */
class ClusterSetupTest {

  private static AppConfig config(JsonObject cluster) {
    return AppConfig.from(new JsonObject()
        .put("auth", new JsonObject().put("api_keys", new JsonArray()
            .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids", new JsonArray().add("*")))))
        .put("dedup", new JsonObject().put("partitions", 32).put("instances", 2))
        .put("cluster", cluster));
  }

  @Test
  void joinsByTcpIpSeedsWithMulticastOff() {
    Config hz = ClusterSetup.hazelcast(config(new JsonObject().put("name", "prod").put("host", "10.0.0.5")
        .put("port", 5710).put("members", new JsonArray().add("10.0.0.5:5710").add("10.0.0.6:5710"))).cluster());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(hz.getClusterName()).isEqualTo("prod");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.5:5710", "10.0.0.6:5710");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5710);
    assertThat(hz.getProperty("hazelcast.local.localAddress")).isEqualTo("10.0.0.5");
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(hz.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(hz.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1); // Vert.x's own maps kept
  }

  @Test
  void kubernetesDiscoveryReplacesTheSeeds() {
    Config hz = ClusterSetup.hazelcast(config(new JsonObject()
        .put("kubernetes_service_dns", "game-events-workers.prod.svc.cluster.local")).cluster());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("game-events-workers.prod.svc.cluster.local");
  }

  @Test
  void seedsAndKubernetesTogetherAreRefused() {
    assertThatThrownBy(() -> config(new JsonObject().put("kubernetes_service_dns", "x.svc")
        .put("members", new JsonArray().add("10.0.0.5:5701"))))
        .hasMessage("config key 'cluster.kubernetes_service_dns' and cluster.members are both set: "
            + "use one way to find the members");
  }

  @Test
  void theNodesRolesTravelAsEventBusMetadata() {
    VertxOptions options = ClusterSetup.options(new VertxOptions(),
        config(new JsonObject().put("host", "10.0.0.7").put("roles", new JsonArray().add("http"))));
    assertThat(options.getEventBusOptions().getHost()).isEqualTo("10.0.0.7");
    NodeRoles roles = NodeRoles.fromJson(options.getEventBusOptions().getClusterNodeMetadata());
    assertThat(roles).isEqualTo(new NodeRoles(true, false, false, 2, new SharedSettings(32, 500, 32 * 1024, null)));
  }
}
