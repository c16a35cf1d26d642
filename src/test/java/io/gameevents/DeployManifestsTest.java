package io.gameevents;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ConfigLoader;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.support.TestService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * deploy/ (the Dockerfile and the Kubernetes manifests) names only what the service reads: every environment
 * variable is one {@link ConfigLoader#ENV} maps and takes effect on its key; the ConfigMap's config.json, with
 * each pod's environment, passes the service's own strict config reader; every port is the configured one;
 * the probes are routes the service answers on the management port; and the NetworkPolicy opens the cluster
 * ports to members only. Nothing here runs a container or a cluster (deploy/README.md says what was not run).
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final Path K8S = DEPLOY.resolve("k8s");
  private static final String MEMBER_LABEL = "game-events.io/cluster-member";
  /** What the downward API gives GAME_EVENTS_CLUSTER_HOST. */
  private static final String POD_IP = "10.1.2.3";
  private static final Pattern PLACEHOLDER = Pattern.compile("REPLACE_WITH_[A-Z0-9_]+");
  /** A value for each placeholder the files leave to the operator, as the operator would fill it in. */
  private static final Map<String, String> SAMPLES = Map.of(
      "REPLACE_WITH_32_HEX_CHARACTERS", TestService.CLUSTER_HASH_KEY,
      "REPLACE_WITH_64_HEX_CHARACTERS", "9e".repeat(32),
      "REPLACE_WITH_THE_MEMBER_CERTIFICATE_PEM", testTlsFile("member1.pem"),
      "REPLACE_WITH_THE_MEMBER_KEY_PEM", testTlsFile("member1.key"),
      "REPLACE_WITH_THE_MEMBERS_CA_PEM", testTlsFile("ca.pem"),
      "REPLACE_WITH_SHA256_OF_THE_API_KEY", sha256("a game's key"),
      "REPLACE_WITH_SHA256_OF_THE_ADMIN_TOKEN", sha256("an operator's token"),
      "REPLACE_WITH_FIREHOSE_STREAM", FirehoseDouble.STREAM,
      "REPLACE_WITH_AWS_REGION", "eu-west-1");

  private static List<Map<String, Object>> objects;

  @BeforeAll
  static void readManifests() throws IOException {
    objects = new ArrayList<>();
    for (Object resource : list(yaml(K8S.resolve("kustomization.yaml")).get("resources"))) {
      String text = Files.readString(K8S.resolve((String) resource));
      for (Object document : new Yaml().loadAll(text)) {
        if (document != null) {
          objects.add(map(document));
        }
      }
    }
  }

  @Test
  void theKustomizationListsEveryManifest() throws IOException {
    Set<String> files;
    try (Stream<Path> listing = Files.list(K8S)) {
      files = listing.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(list(yaml(K8S.resolve("kustomization.yaml")).get("resources"))).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void everyPlaceholderHasASampleAndALeftPlaceholderFailsStartUp() throws IOException {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Matcher m = PLACEHOLDER.matcher(Files.readString(file));
        while (m.find()) {
          found.add(m.group());
        }
      }
    }
    assertThat(SAMPLES.keySet()).containsAll(found);

    // a Secret applied as shipped must not start a node with a made-up credential
    Map<String, String> asShipped = new LinkedHashMap<>(environment(worker(), false));
    assertThatThrownBy(() -> ConfigLoader.loadNow(new JsonObject(configJson()), asShipped))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sha256").hasMessageContaining("64 hex");
  }

  @Test
  void theConfigMapPassesTheStrictReaderWithEachPodsEnvironment() {
    Map<String, Object> headless = headlessService();
    String serviceDns = name(headless) + "." + namespace(headless) + ".svc.cluster.local";

    AppConfig edge = configOf(edge());
    assertThat(edge.cluster().roles()).containsExactly(Role.HTTP);
    AppConfig worker = configOf(worker());
    assertThat(worker.cluster().roles()).containsExactlyInAnyOrder(Role.DEDUP, Role.DELIVERY, Role.FORWARD);
    for (AppConfig config : List.of(edge, worker)) {
      assertThat(config.cluster().host()).isEqualTo(POD_IP);
      assertThat(config.cluster().kubernetesServiceDns()).isEqualTo(serviceDns);
      assertThat(config.cluster().members()).isEmpty();
      // fixed, so that the NetworkPolicy can name it
      assertThat(config.cluster().eventBusPort()).isPositive();
      assertThat(config.http().managementPort()).isPresent();
      assertThat(config.http().host()).isEqualTo("0.0.0.0");
    }
  }

  @Test
  void everyEnvironmentVariableIsOneTheServiceReadsAndTakesEffect() throws IOException {
    Set<String> read = ConfigLoader.ENV.keySet();
    assertThat(dockerfile("ENV")).allSatisfy(line -> assertThat(read).contains(line.split("[= ]", 2)[0]));
    JsonObject file = new JsonObject(configJson());
    for (Map<String, Object> workload : List.of(edge(), worker())) {
      Map<String, String> environment = environment(workload, true);
      assertThat(read).as("variables of %s", name(workload)).containsAll(environment.keySet());
      JsonObject merged = ConfigLoader.merge(file, environment);
      environment.forEach((variable, value) ->
          assertThat(valueAt(merged, ConfigLoader.ENV.get(variable))).as("%s in %s", variable, name(workload))
              .isEqualTo(value));
    }
    Set<String> secretKeys = secretData().keySet();
    Set<String> referenced = new HashSet<>();
    for (Map<String, Object> workload : List.of(edge(), worker())) {
      for (Object entry : list(container(workload).get("env"))) {
        Map<String, Object> ref = at(map(entry), "valueFrom", "secretKeyRef");
        if (ref != null) {
          referenced.add((String) ref.get("key"));
        }
      }
    }
    assertThat(referenced).isEqualTo(secretKeys);
  }

  @Test
  void everyPortIsTheConfiguredOne() throws IOException {
    AppConfig config = configOf(worker());
    Map<String, Integer> expected = Map.of(
        "http", config.http().port(),
        "management", config.http().managementPort().getAsInt(),
        "hazelcast", config.cluster().port(),
        "event-bus", config.cluster().eventBusPort());
    for (Map<String, Object> workload : List.of(edge(), worker())) {
      Map<String, Integer> declared = new LinkedHashMap<>();
      list(container(workload).get("ports")).forEach(port ->
          declared.put((String) map(port).get("name"), (Integer) map(port).get("containerPort")));
      assertThat(declared).as("ports of %s", name(workload)).isEqualTo(expected);
      Map<String, Object> annotations = at(workload, "spec", "template", "metadata", "annotations");
      assertThat(annotations).containsEntry("prometheus.io/port", expected.get("management").toString())
          .containsEntry("prometheus.io/path", "/metrics").containsEntry("prometheus.io/scrape", "true");
    }
    assertThat(dockerfile("EXPOSE").stream().flatMap(line -> Stream.of(line.split("\\s+"))).map(Integer::valueOf))
        .containsExactlyInAnyOrderElementsOf(expected.values());

    Map<String, Object> headless = headlessService();
    assertThat(at(headless, "spec").get("clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec").get("publishNotReadyAddresses")).isEqualTo(true);
    assertThat(servicePorts(headless)).isEqualTo(Map.of(
        "hazelcast", config.cluster().port(), "event-bus", config.cluster().eventBusPort()));
    assertThat(at(headless, "spec", "selector")).isEqualTo(Map.of(
        "app.kubernetes.io/name", "game-events", MEMBER_LABEL, "true"));
    Map<String, Object> statefulSetService = object("Service", (String) at(worker(), "spec").get("serviceName"));
    assertThat(statefulSetService).isSameAs(headless);

    Map<String, Object> publicService = object("Service", "game-events");
    assertThat(list(at(publicService, "spec").get("ports"))).singleElement()
        .satisfies(port -> assertThat(map(port).get("targetPort")).isEqualTo("http"));
    assertThat(selects(at(publicService, "spec", "selector"), edge())).isTrue();
    assertThat(selects(at(publicService, "spec", "selector"), worker())).isFalse();
  }

  @Test
  void theNetworkPolicyOpensTheClusterPortsToMembersOnlyAndNothingElseBeyondItsOwnPort() {
    AppConfig config = configOf(worker());
    Set<Integer> clusterPorts = Set.of(config.cluster().port(), config.cluster().eventBusPort());
    Map<String, Object> member = Map.of("podSelector", Map.of("matchLabels", Map.of(MEMBER_LABEL, "true")));
    List<Map<String, Object>> policies = objects.stream().filter(o -> "NetworkPolicy".equals(o.get("kind"))).toList();

    assertThat(policies).anySatisfy(policy -> {
      assertThat(at(policy, "spec", "podSelector")).isEmpty();
      assertThat(list(at(policy, "spec").get("policyTypes"))).containsExactly("Ingress");
      assertThat(at(policy, "spec").get("ingress")).isNull();
    });
    Map<Integer, Set<String>> openedTo = new LinkedHashMap<>();
    for (Map<String, Object> policy : policies) {
      Map<String, Object> selector = at(policy, "spec", "podSelector");
      for (Object item : list(Objects.requireNonNullElse(at(policy, "spec").get("ingress"), List.of()))) {
        Map<String, Object> rule = map(item);
        assertThat(rule.get("ports")).as("%s opens every port", name(policy)).isNotNull();
        List<Object> from = list(Objects.requireNonNullElse(rule.get("from"), List.of()));
        Set<Integer> ports = list(rule.get("ports")).stream().map(port -> (Integer) map(port).get("port"))
            .collect(Collectors.toSet());
        if (!java.util.Collections.disjoint(ports, clusterPorts)) {
          assertThat(from).as("who may reach the cluster ports").containsExactly(member);
          assertThat(selects(selector, edge()) && selects(selector, worker())).isTrue();
        }
        String who = from.isEmpty() ? "anyone" : from.equals(List.of(member)) ? "members" : "others";
        ports.forEach(port -> openedTo.computeIfAbsent(port, p -> new TreeSet<>()).add(who + (selects(selector,
            worker()) ? " to workers" : "") + (selects(selector, edge()) ? " to edges" : "")));
      }
    }
    assertThat(openedTo).isEqualTo(Map.of(
        config.cluster().port(), Set.of("members to workers to edges"),
        config.cluster().eventBusPort(), Set.of("members to workers to edges"),
        config.http().port(), Set.of("anyone to edges"),
        config.http().managementPort().getAsInt(), Set.of("others to workers to edges")));
    // the one "others" rule: Prometheus
    assertThat(policies).anySatisfy(policy -> assertThat(String.valueOf(at(policy, "spec").get("ingress")))
        .contains("prometheus").contains("port=" + config.http().managementPort().getAsInt()));
  }

  @Test
  void podsRunAsTheImagesUserReadOnlyWithTheirDataOnVolumes() throws IOException {
    String user = dockerfile("USER").get(0).split(":")[0];
    JsonArray entrypoint = new JsonArray(dockerfile("ENTRYPOINT").get(0));
    JsonArray command = new JsonArray(dockerfile("CMD").get(0));
    assertThat(entrypoint.getString(0)).isEqualTo("java");
    assertThat(entrypoint.getList()).contains("-jar").noneMatch(arg -> String.valueOf(arg).startsWith("--add-opens"));
    String confPath = command.getString(command.getList().indexOf("-conf") + 1);

    for (Map<String, Object> workload : List.of(edge(), worker())) {
      Map<String, Object> pod = at(workload, "spec", "template", "spec");
      Map<String, Object> container = container(workload);
      assertThat(at(pod, "securityContext")).containsEntry("runAsNonRoot", true)
          .containsEntry("runAsUser", Integer.valueOf(user));
      assertThat(at(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
          .containsEntry("allowPrivilegeEscalation", false)
          .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
      assertThat(at(container, "resources", "requests")).containsKeys("cpu", "memory");
      assertThat(at(container, "resources", "limits")).containsKeys("cpu", "memory");
      assertThat(list(container.get("args"))).containsExactly("-conf", confPath, "-cluster");
      Map<String, String> mounts = mounts(container);
      Path confDir = Path.of(confPath).getParent();
      assertThat(mounts).containsEntry("config", confDir.toString()).containsEntry("tmp", "/tmp");
      assertThat(list(pod.get("volumes"))).anySatisfy(volume -> assertThat(map(volume))
          .containsEntry("name", "config").containsEntry("configMap", Map.of("name", name(configMap()))));

      AppConfig config = configOf(workload);
      long preStopMs = 1000L * (Integer) at(container, "lifecycle", "preStop", "sleep").get("seconds");
      // Main gives the drain shutdown_timeout_ms plus 5 s before Vert.x closes
      assertThat(1000L * (Integer) pod.get("terminationGracePeriodSeconds"))
          .isGreaterThan(preStopMs + config.shutdownTimeoutMs() + 5000);
    }

    AppConfig worker = configOf(worker());
    Map<String, String> mounts = mounts(container(worker()));
    Map<String, String> claims = new LinkedHashMap<>();
    for (Object template : list(at(worker(), "spec").get("volumeClaimTemplates"))) {
      String name = (String) at(map(template), "metadata").get("name");
      claims.put(name, (String) at(map(template), "spec", "resources", "requests").get("storage"));
    }
    assertThat(claims).containsOnlyKeys("dedup", "spool");
    // each directory and its parent (a lock file may sit beside the directory) are on the named claim
    assertOnVolume(Path.of(worker.dedup().directory()), mounts.get("dedup"));
    assertOnVolume(Path.of(worker.spool().directory()), mounts.get("spool"));
    assertThat(bytes(claims.get("spool"))).isGreaterThan(worker.spool().maxBytes() + worker.spool().minFreeBytes());
  }

  @Test
  void theDisruptionBudgetsCoverBothKinds() {
    List<Map<String, Object>> budgets = objects.stream().filter(o -> "PodDisruptionBudget".equals(o.get("kind")))
        .toList();
    for (Map<String, Object> workload : List.of(edge(), worker())) {
      assertThat(budgets).filteredOn(pdb -> selects(at(pdb, "spec", "selector", "matchLabels"), workload))
          .singleElement().satisfies(pdb -> assertThat(at(pdb, "spec")).containsEntry("maxUnavailable", 1));
    }
  }

  /**
   * The ConfigMap's config with the Secret's values, as one node with every role: the probes' paths answer 200
   * on the management port, /metrics is there (and not on the public port).
   */
  @Test
  void theProbesAreRoutesTheServiceAnswersOnTheManagementPort() throws Exception {
    Set<String> probed = new TreeSet<>();
    for (Map<String, Object> workload : List.of(edge(), worker())) {
      Map<String, Object> container = container(workload);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        Map<String, Object> get = at(container, probe, "httpGet");
        assertThat(get.get("port")).as("%s of %s", probe, name(workload)).isEqualTo("management");
        probed.add((String) get.get("path"));
      }
      assertThat(at(container, "readinessProbe", "httpGet").get("path")).isEqualTo("/ready");
      assertThat(at(container, "livenessProbe", "httpGet").get("path")).isEqualTo("/health");
    }

    Vertx vertx = Vertx.vertx();
    FirehoseDouble firehose = FirehoseDouble.start(vertx).await(10, TimeUnit.SECONDS);
    int managementPort = TestService.freePort();
    TestService service = TestService.start(vertx, base -> {
      JsonObject config = ConfigLoader.merge(new JsonObject(configJson()), environment(worker(), true));
      Path data = Path.of(base.getJsonObject("dedup").getString("directory")).getParent();
      config.getJsonObject("http").put("host", "127.0.0.1").put("port", base.getJsonObject("http").getInteger("port"))
          .put("management_port", managementPort);
      config.getJsonObject("cluster").remove("roles");
      // the member certificate the Secret mounts, here from the test CA
      config.getJsonObject("cluster").put("tls", TestService.tlsFiles("member1", "ca"));
      config.getJsonObject("dedup").put("directory", data.resolve("dedup").toString());
      config.getJsonObject("spool").put("directory", data.resolve("spool").toString());
      config.getJsonObject("delivery").getJsonObject("firehose").put("endpoint_override", firehose.endpoint());
      return config;
    }, FirehoseDouble.sinks(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).await(30, TimeUnit.SECONDS);
    try {
      for (String path : probed) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(service.client.get(managementPort, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS)
                .statusCode()).as(path).isEqualTo(200));
      }
      assertThat(service.client.get(managementPort, "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS)
          .bodyAsString()).contains("game_events_");
      assertThat(service.client.get("/metrics").send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
      firehose.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  // --- the manifests

  private static Map<String, Object> edge() {
    return object("Deployment", "game-events-edge");
  }

  private static Map<String, Object> worker() {
    return object("StatefulSet", "game-events-worker");
  }

  private static Map<String, Object> configMap() {
    return object("ConfigMap", "game-events-config");
  }

  private static Map<String, Object> headlessService() {
    return object("Service", "game-events-members");
  }

  private static Map<String, Object> object(String kind, String name) {
    List<Map<String, Object>> found = objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  private static String name(Map<String, Object> object) {
    return (String) at(object, "metadata").get("name");
  }

  private static String namespace(Map<String, Object> object) {
    return (String) at(object, "metadata").get("namespace");
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    List<Object> containers = list(at(workload, "spec", "template", "spec").get("containers"));
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  /** The ConfigMap's config.json with the placeholders filled in. */
  private static String configJson() {
    return substituted((String) at(configMap(), "data").get("config.json"));
  }

  /** The whole config as a node loads it, the delivery section (read by the delivery stage) included. */
  private static AppConfig configOf(Map<String, Object> workload) {
    return ServiceConfig.load(new JsonObject(configJson()), environment(workload, true)).app();
  }

  /** The container's environment as the pod would get it, the Secret's placeholders filled in or not. */
  private static Map<String, String> environment(Map<String, Object> workload, boolean fillPlaceholders) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Object item : list(container(workload).get("env"))) {
      Map<String, Object> entry = map(item);
      String name = (String) entry.get("name");
      if (entry.containsKey("value")) {
        environment.put(name, (String) entry.get("value"));
      } else if (at(entry, "valueFrom", "fieldRef") != null) {
        assertThat(at(entry, "valueFrom", "fieldRef").get("fieldPath")).isEqualTo("status.podIP");
        environment.put(name, POD_IP);
      } else {
        Map<String, Object> ref = at(entry, "valueFrom", "secretKeyRef");
        assertThat(ref).as("where %s comes from", name).isNotNull();
        assertThat(ref.get("name")).isEqualTo(name(secret()));
        String value = secretData().get((String) ref.get("key"));
        assertThat(value).as("Secret key %s", ref.get("key")).isNotNull();
        environment.put(name, fillPlaceholders ? substituted(value) : value);
      }
    }
    return environment;
  }

  private static Map<String, Object> secret() {
    return object("Secret", "game-events-credentials");
  }

  private static Map<String, String> secretData() {
    Map<String, String> data = new LinkedHashMap<>();
    at(secret(), "stringData").forEach((key, value) -> data.put(key, (String) value));
    return data;
  }

  private static Map<String, Integer> servicePorts(Map<String, Object> service) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object item : list(at(service, "spec").get("ports"))) {
      Map<String, Object> port = map(item);
      assertThat(port.get("targetPort")).isEqualTo(port.get("name"));
      ports.put((String) port.get("name"), (Integer) port.get("port"));
    }
    return ports;
  }

  /** Whether a label selector (matchLabels, or a Service's selector) picks the workload's pods. */
  private static boolean selects(Map<String, Object> selector, Map<String, Object> workload) {
    Map<String, Object> matchLabels = selector.containsKey("matchLabels") ? at(selector, "matchLabels") : selector;
    Map<String, Object> labels = at(workload, "spec", "template", "metadata", "labels");
    return labels.entrySet().containsAll(matchLabels.entrySet());
  }

  /** Volume name -> mount path, for the writable mounts. */
  private static Map<String, String> mounts(Map<String, Object> container) {
    Map<String, String> mounts = new LinkedHashMap<>();
    list(container.get("volumeMounts")).forEach(item ->
        mounts.put((String) map(item).get("name"), (String) map(item).get("mountPath")));
    return mounts;
  }

  private static void assertOnVolume(Path directory, String mountPath) {
    assertThat(mountPath).as("mount for %s", directory).isNotNull();
    assertThat(directory.getParent()).as("%s sits on its volume", directory).startsWithRaw(Path.of(mountPath));
  }

  private static long bytes(String quantity) {
    Matcher m = Pattern.compile("(\\d+)(Gi|Mi)").matcher(quantity);
    assertThat(m.matches()).as(quantity).isTrue();
    return Long.parseLong(m.group(1)) << (m.group(2).equals("Gi") ? 30 : 20);
  }

  // --- the Dockerfile

  /** The arguments of each instruction of this kind, continuation lines joined. */
  private static List<String> dockerfile(String instruction) throws IOException {
    String text = Files.readString(DEPLOY.resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
    return text.lines().map(String::strip).filter(line -> line.startsWith(instruction + " "))
        .map(line -> line.substring(instruction.length()).strip()).toList();
  }

  // --- plumbing

  private static String testTlsFile(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/tls", name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String substituted(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder result = new StringBuilder();
    while (m.find()) {
      assertThat(SAMPLES).containsKey(m.group());
      m.appendReplacement(result, Matcher.quoteReplacement(SAMPLES.get(m.group())));
    }
    return m.appendTail(result).toString();
  }

  private static Object valueAt(JsonObject json, String dottedKey) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    return node.getValue(parts[parts.length - 1]);
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return map(new Yaml().load(Files.readString(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /** The map at a path of keys, or null where one is missing. */
  private static Map<String, Object> at(Map<String, Object> root, String... path) {
    Map<String, Object> node = root;
    for (String key : path) {
      if (node == null || !(node.get(key) instanceof Map<?, ?>)) {
        return null;
      }
      node = map(node.get(key));
    }
    return node;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return String.format("%064x", new BigInteger(1, digest));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
