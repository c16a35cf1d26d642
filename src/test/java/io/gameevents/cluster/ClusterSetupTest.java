package io.gameevents.cluster;

import ch.qos.logback.classic.Level;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.TestService;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast member and event-bus options a node's cluster section turns into. */
class ClusterSetupTest {

  private static final String SECRET = TestService.CLUSTER_SECRET;

  /** With the members' secret unless {@code cluster} says otherwise. */
  private static AppConfig config(JsonObject cluster) {
    if (!cluster.containsKey("secret")) {
      cluster.put("secret", SECRET);
    }
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
    Config hz = ClusterSetup.hazelcast(config(new JsonObject().put("name", "prod")
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
    assertThat(roles).isEqualTo(new NodeRoles(true, false, false, 2, new SharedSettings(32, 500, 32 * 1024, null,
        ClusterKey.derive(io.gameevents.config.ClusterSecret.of(SECRET)).fingerprint())));
    assertThat(options.getEventBusOptions().getClusterNodeMetadata().encode()).as("never the secret")
        .doesNotContain(SECRET);
  }

  // --- what -cluster demands before anything binds ---

  @Test
  void aClusterNeedsANameOfItsOwn() {
    assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("host", "127.0.0.1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'cluster.name' is required with -cluster: give every cluster a name of its own,"
            + " so that no other cluster's members join it by accident");
  }

  @Test
  void aClusterNeedsASecretOfItsOwn() {
    JsonObject noSecret = new JsonObject().put("name", "prod").put("host", "127.0.0.1");
    noSecret.putNull("secret");
    assertThatThrownBy(() -> ClusterSetup.check(config(noSecret)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'cluster.secret' is required with -cluster: members prove with it what they write"
            + " into Hazelcast, which takes anyone who reaches its port (`openssl rand -hex 32`, the same on every"
            + " member)");
    for (String placeholder : new String[] {"REPLACE-ME with 64 hex characters from openssl rand -hex 32",
        "REPLACE_WITH_THE_CLUSTER_SECRET_FROM_OPENSSL_RAND_HEX_32"}) {
      assertThatThrownBy(() -> config(new JsonObject().put("secret", placeholder)))
          .hasMessage("config key 'cluster.secret' is still a placeholder: make one with `openssl rand -hex 32`,"
              + " the same on every member");
    }
    String tooShort = "0123456789abcdef0123456789abcde";
    assertThatThrownBy(() -> config(new JsonObject().put("secret", tooShort)))
        .hasMessage("config key 'cluster.secret' must be at least 32 characters (e.g. from `openssl rand -hex 32`)")
        .message().doesNotContain(tooShort);
    assertThat(config(new JsonObject().put("secret", tooShort + "f")).cluster().secret()).hasToString(
        "ClusterSecret[hidden]");
  }

  @Test
  void aReachableHostWithoutTlsIsRefused() {
    for (String host : new String[] {"10.0.0.5", "0.0.0.0", "192.168.1.20"}) {
      assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("name", "prod").put("host", host))))
          .as(host)
          .isInstanceOf(ConfigException.class)
          .hasMessage("config key 'cluster.tls' is required with -cluster on cluster.host " + host + ", which is not"
              + " a loopback address: without it any peer that reaches the event bus can send into the pipeline"
              + " (set cluster.insecure_plaintext to true only on a private network)");
    }
  }

  @Test
  void loopbackNeedsNoTls() {
    for (String host : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      ClusterSetup.check(config(new JsonObject().put("name", "dev").put("host", host)));
    }
  }

  private static final String WARNING = "cluster.insecure_plaintext is true: the event bus on 10.0.0.5 is plain TCP"
      + " and takes messages from any peer that reaches it; only the network keeps others out";

  @Test
  void insecurePlaintextIsAllowedWithAWarningAtEveryStart() {
    AppConfig config = config(new JsonObject().put("name", "prod").put("host", "10.0.0.5")
        .put("insecure_plaintext", true));
    try (CapturedLog log = CapturedLog.open(Level.WARN, ClusterSetup.class.getName())) {
      ClusterSetup.check(config);
      ClusterSetup.check(config);
      assertThat(log.lines()).filteredOn(line -> line.getString("level").equals("WARN"))
          .extracting(line -> line.getString("message"))
          .containsExactly(WARNING, WARNING);
    }
  }

  @Test
  void withTlsAReachableHostStartsAndTheEventBusDemandsMemberCertificates() {
    AppConfig config = config(new JsonObject().put("name", "prod").put("host", "10.0.0.5")
        .put("tls", TestService.tlsFiles("member1", "ca")));
    ClusterSetup.check(config);
    EventBusOptions eventBus = ClusterSetup.options(new VertxOptions(), config).getEventBusOptions();
    assertThat(eventBus.isSsl()).isTrue();
    assertThat(eventBus.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(eventBus.getKeyCertOptions()).isNotNull();
    assertThat(eventBus.getTrustOptions()).isNotNull();
    assertThat(ClusterSetup.options(new VertxOptions(), config(new JsonObject())).getEventBusOptions().isSsl())
        .isFalse();
    assertThat(ClusterTls.load(config.cluster().tls()).toString()).as("never the key")
        .isEqualTo("ClusterTls[certificate expires 2126-11-13T04:32:08Z]");
  }

  /** A CA rotation's middle step: one ca_path file with the old and the new CA, so members of either are taken. */
  @Test
  void aCaBundleTrustsEveryCaInIt() throws Exception {
    JsonObject files = TestService.tlsFiles("member1", "ca");
    Path bundle = Files.createTempFile("members-ca", ".pem");
    Files.writeString(bundle, Files.readString(Path.of(files.getString("ca_path")))
        + Files.readString(Path.of(TestService.tlsFiles("rogue", "rogue-ca").getString("ca_path"))));
    ClusterTls tls = ClusterTls.load(new io.gameevents.config.ClusterConfig.Tls(files.getString("cert_path"),
        files.getString("key_path"), bundle.toString()));
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      javax.net.ssl.X509TrustManager trust = (javax.net.ssl.X509TrustManager) tls.apply(new EventBusOptions())
          .getTrustOptions().getTrustManagerFactory(vertx).getTrustManagers()[0];
      assertThat(trust.getAcceptedIssuers()).extracting(ca -> ca.getSubjectX500Principal().getName())
          .containsExactlyInAnyOrder("CN=game-events test cluster CA", "CN=game-events rogue CA");
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnreadableTlsFileIsNamed() {
    JsonObject tls = TestService.tlsFiles("member1", "ca").put("ca_path", "/nonexistent/ca.pem");
    assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("name", "prod").put("tls", tls))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'cluster.tls.ca_path' cannot be read: /nonexistent/ca.pem (NoSuchFileException)");
  }

  @Test
  void aFileThatIsNotACertificateIsNamed() {
    JsonObject files = TestService.tlsFiles("member1", "ca");
    JsonObject tls = files.copy().put("cert_path", files.getString("key_path"));
    assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("name", "prod").put("tls", tls))))
        .hasMessage("config key 'cluster.tls.cert_path' is not a PEM certificate: " + files.getString("key_path"));
  }

  @Test
  void aKeyThatIsNotAKeyOrNotTheCertificatesIsNamed() throws Exception {
    JsonObject files = TestService.tlsFiles("member1", "ca");
    String otherKey = TestService.tlsFiles("member2", "ca").getString("key_path");
    assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("name", "prod")
        .put("tls", files.copy().put("key_path", otherKey)))))
        .hasMessage("config key 'cluster.tls.key_path' is not the key of the certificate in cluster.tls.cert_path: "
            + otherKey);
    Path garbage = Files.createTempFile("key", ".pem");
    Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ClusterSetup.check(config(new JsonObject().put("name", "prod")
        .put("tls", files.copy().put("key_path", garbage.toString())))))
        .hasMessage("config key 'cluster.tls.key_path' is not a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC): "
            + garbage);
  }

  @Test
  void aPartialTlsSectionIsNamed() {
    JsonObject tls = TestService.tlsFiles("member1", "ca");
    tls.remove("key_path");
    assertThatThrownBy(() -> config(new JsonObject().put("tls", tls)))
        .hasMessage("config key 'cluster.tls.key_path' is missing: cluster.tls needs cert_path, key_path and ca_path"
            + " together");
  }

  /** A class outside the JDK and Hazelcast, as a gadget chain's would be: its Java-serialized form is not read. */
  record Gadget(String payload) implements Serializable {
  }

  @Test
  void javaDeserializationResolvesOnlyJdkAndHazelcastClasses() {
    int port = TestService.freePort();
    Config hz = ClusterSetup.hazelcast(config(new JsonObject().put("name", "filter-" + UUID.randomUUID())
        .put("port", port).put("members", new JsonArray().add("127.0.0.1:" + port))).cluster());
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    HazelcastInstance member = Hazelcast.newHazelcastInstance(hz);
    try {
      IMap<String, Object> map = member.getMap("filter-test");
      map.put("allowed", new java.util.ArrayList<>(java.util.List.of("a")));
      assertThat(map.get("allowed")).isEqualTo(java.util.List.of("a"));
      map.put("gadget", new Gadget("x"));
      assertThatThrownBy(() -> map.get("gadget"))
          .rootCause().isInstanceOf(SecurityException.class)
          .hasMessage("Resolving class " + Gadget.class.getName() + " is not allowed.");
    } finally {
      member.shutdown();
    }
  }
}
