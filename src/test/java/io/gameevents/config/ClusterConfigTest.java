package io.gameevents.config;

import io.gameevents.config.ClusterConfig.Member;
import io.gameevents.config.ClusterConfig.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster section and dedup.partitions: defaults, environment overrides, one-line errors naming the key. */
class ClusterConfigTest {

  private static JsonObject withCluster(JsonObject cluster) {
    return new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray()
            .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids", new JsonArray().add("*")))))
        .put("cluster", cluster);
  }

  @Test
  void defaultsRunEveryStageAndJoinNobody() {
    AppConfig config = AppConfig.from(withCluster(new JsonObject()));
    ClusterConfig cluster = config.cluster();
    assertThat(cluster.roles()).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(cluster.port()).isEqualTo(5701);
    assertThat(cluster.members()).isEmpty();
    assertThat(cluster.failureDetectionSeconds()).isEqualTo(5);
    assertThat(config.dedup().partitions()).isEqualTo(64);
    assertThat(config.dedup().directory()).isEqualTo("data/dedup");
  }

  @Test
  void membersAndRolesAreRead() {
    ClusterConfig cluster = AppConfig.from(withCluster(new JsonObject()
        .put("host", "10.0.0.5").put("port", 5702)
        .put("members", new JsonArray().add("10.0.0.5:5701").add("node-2.internal:5701"))
        .put("roles", new JsonArray().add("dedup").add("DELIVERY")))).cluster();
    assertThat(cluster.members()).containsExactly(new Member("10.0.0.5", 5701), new Member("node-2.internal", 5701));
    assertThat(cluster.roles()).containsExactlyInAnyOrder(Role.DEDUP, Role.DELIVERY);
  }

  @Test
  void environmentVariablesTakeCommaSeparatedLists() {
    AppConfig config = ConfigLoader.loadNow(withCluster(new JsonObject()), Map.of(
        "GAME_EVENTS_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702",
        "GAME_EVENTS_CLUSTER_ROLES", "http",
        "GAME_EVENTS_CLUSTER_PORT", "5703",
        "GAME_EVENTS_DEDUP_PARTITIONS", "128"));
    assertThat(config.cluster().members()).extracting(Member::toString)
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
    assertThat(config.cluster().roles()).containsExactly(Role.HTTP);
    assertThat(config.cluster().port()).isEqualTo(5703);
    assertThat(config.dedup().partitions()).isEqualTo(128);
  }

  @Test
  void tlsAndPlaintextAreSetByEnvironmentVariables() {
    AppConfig config = ConfigLoader.loadNow(withCluster(new JsonObject()), Map.of(
        "GAME_EVENTS_CLUSTER_TLS_CERT_PATH", "/etc/game-events/member.pem",
        "GAME_EVENTS_CLUSTER_TLS_KEY_PATH", "/etc/game-events/member.key",
        "GAME_EVENTS_CLUSTER_TLS_CA_PATH", "/etc/game-events/members-ca.pem",
        "GAME_EVENTS_CLUSTER_INSECURE_PLAINTEXT", "true"));
    assertThat(config.cluster().tls()).isEqualTo(new ClusterConfig.Tls("/etc/game-events/member.pem",
        "/etc/game-events/member.key", "/etc/game-events/members-ca.pem"));
    assertThat(config.cluster().insecurePlaintext()).isTrue();
    ClusterConfig defaults = AppConfig.from(withCluster(new JsonObject())).cluster();
    assertThat(defaults.tls()).isNull();
    assertThat(defaults.insecurePlaintext()).isFalse();
    assertThat(defaults.name()).as("no default: -cluster demands one").isNull();
  }

  @Test
  void anUnknownRoleIsNamed() {
    assertThatThrownBy(() -> AppConfig.from(withCluster(new JsonObject().put("roles", new JsonArray().add("http").add("dedupe")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'cluster.roles' has unknown role 'dedupe': use http, dedup, delivery or forward");
  }

  @Test
  void noRoleIsRefused() {
    assertThatThrownBy(() -> AppConfig.from(withCluster(new JsonObject().put("roles", new JsonArray()))))
        .hasMessage("config key 'cluster.roles' is empty: give at least one of http, dedup, delivery, forward");
  }

  @Test
  void aMalformedMemberIsNamed() {
    for (String bad : List.of("10.0.0.5", "10.0.0.5:", ":5701", "10.0.0.5:99999", "10.0.0.5:57o1")) {
      assertThatThrownBy(() -> AppConfig.from(withCluster(new JsonObject().put("members", new JsonArray().add(bad)))))
          .as(bad)
          .hasMessage("config key 'cluster.members' has '" + bad + "', which is not host:port (e.g. 10.0.0.5:5701)");
    }
  }

  @Test
  void moreDedupInstancesThanPartitionsIsRefused() {
    JsonObject config = withCluster(new JsonObject())
        .put("dedup", new JsonObject().put("instances", 8).put("partitions", 4));
    assertThatThrownBy(() -> AppConfig.from(config))
        .hasMessage("config key 'dedup.instances' must not exceed dedup.partitions (4): an instance owns whole partitions");
  }

  @Test
  void anUnknownClusterKeyIsNamed() {
    assertThatThrownBy(() -> AppConfig.from(withCluster(new JsonObject().put("member", new JsonArray()))))
        .hasMessage("unknown config key 'cluster.member'");
  }
}
