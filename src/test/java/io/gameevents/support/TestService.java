package io.gameevents.support;

import io.gameevents.MainVerticle;
import io.gameevents.cluster.ClusterSetup;
import io.gameevents.config.AppConfig;
import io.gameevents.delivery.Sinks;
import io.gameevents.pipeline.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The real service on a free port with a temp sink directory, and a client to talk to it over HTTP. */
public final class TestService {

  public static final String KEY = "dev-secret";
  public static final String OTHER_APP_KEY = "other-app-secret";
  public static final String APP = "com.game.test";
  /** The dev config's admin token: opens the live event debugger. */
  /** The dedup.hash_key of the test clusters' members: every member of a cluster needs the same one. */
  public static final String CLUSTER_HASH_KEY = "8f2c1e0b7a6d5c4b3a29180716f5e4d3";
  /** The cluster.secret of the test clusters' members. */
  public static final String CLUSTER_SECRET = "test-cluster-secret-5f0c2a9e41d7b3868e";
  public static final String ADMIN_TOKEN = "dev-admin-secret";
  /** Bounds of every test client: a connection that takes longer fails, naming the address. */
  public static final int CONNECT_TIMEOUT_MS = 10_000;
  /** A connection silent this long is closed, failing the request waiting on it. */
  public static final int IDLE_TIMEOUT_SECONDS = 30;

  public final Vertx vertx;
  public final Path dataDir;
  public final int port;
  public final WebClient client;
  public final MainVerticle main;
  /** Where this node's own meters go (a private registry for clustered test nodes). */
  public io.micrometer.core.instrument.MeterRegistry registry;
  private final boolean ownsVertx;
  private String deploymentId;

  private TestService(Vertx vertx, Path dataDir, int port, MainVerticle main) {
    this(vertx, dataDir, port, main, false);
  }

  private TestService(Vertx vertx, Path dataDir, int port, MainVerticle main, boolean ownsVertx) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.port = port;
    this.main = main;
    this.ownsVertx = ownsVertx;
    // bounded: a request the service never answers fails (its connection closed after 30 s without a byte)
    // instead of waiting for the test timeout
    this.client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setConnectTimeout(CONNECT_TIMEOUT_MS)
            .setIdleTimeout(IDLE_TIMEOUT_SECONDS),
        new PoolOptions().setHttp1MaxSize(64));
  }

  /** A config with the dev key, a second key for another app, and a file sink in a temp directory. */
  public static JsonObject config(Path dataDir, int port) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", port).put("host", "127.0.0.1").put("instances", 2))
        .put("auth", new JsonObject().put("api_keys", new JsonArray()
            .add(new JsonObject().put("id", "dev").put("key", KEY).put("app_ids", new JsonArray().add(APP)))
            .add(new JsonObject().put("id", "other").put("key", OTHER_APP_KEY)
                .put("app_ids", new JsonArray().add("com.other.game")))))
        .put("admin", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("id", "dev-admin").put("key", ADMIN_TOKEN))))
        .put("dedup", new JsonObject().put("directory", dataDir.resolve("dedup").toString()))
        .put("privacy", new JsonObject().put("directory", dataDir.resolve("privacy").toString()))
        .put("spool", new JsonObject().put("directory", dataDir.resolve("spool").toString()).put("segment_seconds", 1))
        .put("delivery", new JsonObject().put("sink", "file").put("linger_ms", 2)
            .put("file", new JsonObject().put("directory", dataDir.resolve("events").toString())))
        .put("shutdown_timeout_ms", 5000);
  }

  public static Future<TestService> start(Vertx vertx, java.util.function.UnaryOperator<JsonObject> tweak) {
    return start(vertx, tweak, Sinks.FROM_CONFIG);
  }

  public static Future<TestService> start(Vertx vertx, java.util.function.UnaryOperator<JsonObject> tweak,
                                          Sinks.Factory sinks) {
    // its own registry: meters bound to one service's objects (the spool's gauges) must not outlive it
    return start(vertx, tweak, sinks, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  public static Future<TestService> start(Vertx vertx, java.util.function.UnaryOperator<JsonObject> tweak,
                                          Sinks.Factory sinks, io.micrometer.core.instrument.MeterRegistry registry) {
    return start(vertx, tweak, sinks, registry, System::nanoTime);
  }

  /** With the clock the rate-limit buckets read (nanos), so a test can move time itself. */
  public static Future<TestService> start(Vertx vertx, java.util.function.UnaryOperator<JsonObject> tweak,
                                          Sinks.Factory sinks, io.micrometer.core.instrument.MeterRegistry registry,
                                          java.util.function.LongSupplier rateClock) {
    Path dir = tempDir();
    int port = freePort();
    MainVerticle main = MainVerticle.builder().sinks(sinks).registry(registry).rateClock(rateClock).build();
    TestService service = new TestService(vertx, dir, port, main);
    service.registry = registry;
    JsonObject config = tweak.apply(config(dir, port));
    return vertx.deployVerticle(main, new DeploymentOptions().setConfig(config))
        .map(id -> {
          service.deploymentId = id;
          return service;
        });
  }

  /**
   * A node of a test cluster on loopback, on its own clustered Vertx (closed by {@link #stop()}):
   * TCP/IP discovery of {@code memberPorts}, a cluster name unique to the test.
   */
  public static Future<TestService> startClustered(String clusterName, int hazelcastPort, List<Integer> memberPorts,
                                                   java.util.function.UnaryOperator<JsonObject> tweak) {
    return startClustered(clusterName, hazelcastPort, memberPorts, tempDir(), tweak);
  }

  /** As above on a given data directory (a restarted node). */
  public static Future<TestService> startClustered(String clusterName, int hazelcastPort, List<Integer> memberPorts,
                                                   Path dir, java.util.function.UnaryOperator<JsonObject> tweak) {
    int port = freePort();
    JsonArray members = new JsonArray();
    memberPorts.forEach(p -> members.add("127.0.0.1:" + p));
    JsonObject config = config(dir, port).put("cluster", new JsonObject().put("name", clusterName)
        .put("host", "127.0.0.1").put("port", hazelcastPort).put("members", members));
    config.getJsonObject("dedup").put("hash_key", CLUSTER_HASH_KEY);
    config.getJsonObject("cluster").put("secret", CLUSTER_SECRET);
    JsonObject tweaked = tweak.apply(config);
    AppConfig app = AppConfig.from(tweaked.copy());
    ClusterSetup.check(app); // as Main does before Vert.x starts
    // CompletableFutures, not the nodes' own futures: a node refused at start-up closes its Vertx,
    // and listeners of its futures would wait for its ended event loops forever
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return Future.fromCompletionStage(ClusterSetup.clustered(Vertx.builder().with(ClusterSetup.options(
            new VertxOptions(), app)), app, () -> registry).buildClustered().toCompletionStage()
        .thenCompose(vertx -> {
          MainVerticle main = MainVerticle.builder().registry(registry).build();
          TestService service = new TestService(vertx, dir, port, main, true);
          service.registry = main.registry();
          return vertx.deployVerticle(main, new DeploymentOptions().setConfig(tweaked)).toCompletionStage()
              .handle((id, failed) -> {
                if (failed == null) {
                  service.deploymentId = id;
                  return java.util.concurrent.CompletableFuture.completedFuture(service);
                }
                return closeOffContext(vertx).thenCompose(closed ->
                    java.util.concurrent.CompletableFuture.<TestService>failedFuture(failed));
              })
              .thenCompose(started -> started);
        }));
  }

  /**
   * A config tweak that gives a clustered node the test CA's member certificate {@code member}
   * ({@code member1} or {@code member2}, under src/test/resources/tls): its event bus then speaks TLS with
   * client certificates.
   */
  public static java.util.function.UnaryOperator<JsonObject> tlsMember(String member) {
    return c -> {
      c.getJsonObject("cluster").put("tls", tlsFiles(member, "ca"));
      return c;
    };
  }

  /** The {@code cluster.tls} section for a test certificate, its key and a CA file, by their names under /tls. */
  public static JsonObject tlsFiles(String member, String ca) {
    return new JsonObject().put("cert_path", testFile("tls/" + member + ".pem"))
        .put("key_path", testFile("tls/" + member + ".key")).put("ca_path", testFile("tls/" + ca + ".pem"));
  }

  private static String testFile(String resource) {
    try {
      return Path.of(TestService.class.getResource("/" + resource).toURI()).toString();
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource missing: " + resource, e);
    }
  }

  /** Drains and undeploys the service; a clustered node then leaves the cluster and closes its Vertx. */
  public Future<Void> stop() {
    client.close();
    Future<Void> undeployed = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    if (!ownsVertx) {
      return undeployed;
    }
    return Future.fromCompletionStage(undeployed.toCompletionStage().handle((done, failed) -> null)
        .thenCompose(ignored -> closeOffContext(vertx)));
  }

  /**
   * Closes a Vertx from a thread of its own: close() called on one of its event loops answers on
   * that loop, which the close has ended, so the answer would never come.
   */
  private static java.util.concurrent.CompletableFuture<Void> closeOffContext(Vertx vertx) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> vertx.close().toCompletionStage())
        .thenCompose(closing -> closing).handle((closed, failed) -> null);
  }

  /** Completes once the dedup stage (one instance) holds {@code ids} events in flight. */
  public Future<Void> awaitInFlight(int ids) {
    io.vertx.core.Promise<Void> reached = io.vertx.core.Promise.promise();
    vertx.setPeriodic(10, timer -> vertx.eventBus().<JsonObject>request(Pipeline.DEDUP_HEALTH, null)
        .onSuccess(reply -> {
          if (reply.body().getInteger("in_flight_ids") >= ids && reached.tryComplete()) {
            vertx.cancelTimer(timer);
          }
        }));
    return reached.future();
  }

  /** GET of a probe (/ready, /health/sink) with the admin token: the public port shows the details only to it. */
  public HttpRequest<Buffer> probe(String path) {
    return client.get(path).putHeader("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  public HttpRequest<Buffer> post(String path) {
    return post(path, KEY);
  }

  public HttpRequest<Buffer> post(String path, String key) {
    HttpRequest<Buffer> request = client.post(path).putHeader("Content-Type", "application/json");
    return key == null ? request : request.putHeader("Authorization", "Bearer " + key);
  }

  public Future<HttpResponse<Buffer>> postJson(String path, JsonObject body) {
    return post(path).sendBuffer(body.toBuffer());
  }

  /** Every record in the file sink, in-progress files included, in file-then-line order. */
  public List<JsonObject> sinkRecords() {
    return SinkFiles.records(dataDir.resolve("events"));
  }

  /** Every record in the refused tree (delivery.file.refused_directory, beside the events), as {@link #sinkRecords}. */
  public List<JsonObject> refusedRecords() {
    return SinkFiles.records(dataDir.resolve("refused"));
  }

  public static JsonObject install(String eventId) {
    return new JsonObject()
        .put("event_id", eventId)
        .put("event_type", "install")
        .put("occurred_at", Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS).toString())
        .put("player_id", "player_1")
        .put("app_id", APP)
        .put("platform", "ios");
  }

  public static JsonObject purchase(String eventId) {
    return install(eventId).put("event_type", "purchase").put("product_id", "gems_pack_01").put("quantity", 1)
        .put("amount_micros", 4_990_000).put("currency", "EUR");
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("game-events-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seed ports handed out in this JVM, so that no two nodes of a test are given the same one. */
  private static final java.util.Set<Integer> SEED_PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A free port for a Hazelcast seed, below the kernel's ephemeral range. The first node dials the other seeds
   * before their nodes bind them, and a connect from an ephemeral port to an unbound port of that same number on
   * loopback connects the socket to itself (TCP simultaneous open): the port is then taken and the node meant for
   * it cannot start. {@link #freePort} picks from the ephemeral range, so a seed needs this instead.
   */
  public static int freeSeedPort() {
    int ephemeralLow = 32768;
    try {
      // readAllLines, not readString: /proc files report size 0, and readString then returned only "3" here
      ephemeralLow = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
          .trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      // the usual Linux default
    }
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 1000 && ephemeralLow > 11_000; attempt++) {
      int port = 10_000 + random.nextInt(Math.max(1, ephemeralLow - 10_000));
      if (!SEED_PORTS.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port below the ephemeral range " + ephemeralLow + " after 1000 tries");
  }

  /** Reads NDJSON (optionally gzipped) sink files. */
  public static final class SinkFiles {
    private SinkFiles() {
    }

    public static List<JsonObject> records(Path root) {
      List<JsonObject> records = new ArrayList<>();
      if (!Files.isDirectory(root)) {
        return records;
      }
      try (var walk = Files.walk(root)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
          byte[] bytes = Files.readAllBytes(file);
          if (file.toString().contains(".gz")) {
            bytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
          }
          for (String line : new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
              records.add(new JsonObject(line));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return records;
    }
  }
}
