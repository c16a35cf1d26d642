package io.gameevents;

import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.NodeRoles;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ConfigLoader;
import io.gameevents.dedup.DedupVerticle;
import io.gameevents.delivery.DeliveryVerticle;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.http.HttpVerticle;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.metrics.Metrics;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.util.DirectoryLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Loads and validates the configuration, joins the cluster view, then deploys this node's stages
 * (its {@code cluster.roles}, all three by default) back to front: delivery, dedup, http, each
 * with its own instance count, so no stage receives traffic before the next one is there. A
 * node without the http role still serves /health, /ready and /metrics on {@code http.port}.
 * {@link #drain()} undeploys them front to back, so every accepted request is answered and every
 * taken event delivered before the sink closes; dedup hands its partitions over on the way.
 */
public class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final Sinks.Factory sinkFactory;
  private MeterRegistry registry;
  private final Deque<String> stages = new ArrayDeque<>();
  private AppConfig appConfig;
  private ClusterView view;
  /** The data directories this node writes, locked until it stops. */
  private final java.util.List<DirectoryLock> locks = new java.util.ArrayList<>();
  private Future<Void> drained;
  private volatile long drainDeadlineMillis = Long.MAX_VALUE;

  public MainVerticle() {
    this(Sinks.FROM_CONFIG);
  }

  public MainVerticle(Sinks.Factory sinkFactory) {
    this(sinkFactory, null);
  }

  /**
   * With the registry the stages' meters go to (each node of an in-process test cluster has its
   * own); null for Vert.x's Prometheus registry, which exists only once Vert.x has started.
   */
  public MainVerticle(Sinks.Factory sinkFactory, MeterRegistry registry) {
    this.sinkFactory = sinkFactory;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Pipeline.registerCodecs(vertx);
    if (registry == null) {
      registry = Metrics.registry();
    }
    return ConfigLoader.load(vertx, config())
        .compose(loaded -> {
          appConfig = loaded;
          return vertx.executeBlocking(() -> prepareDisk(loaded));
        })
        .compose(ignored -> ClusterView.start(vertx, NodeRoles.of(appConfig)))
        .compose(started -> {
          view = started;
          checkPartitionsAgree();
          return vertx.executeBlocking(() -> EventValidator.load(appConfig.validation()));
        })
        .compose(validator -> Authenticator.create(vertx, appConfig.auth())
            .compose(authenticator -> deployStages(validator, authenticator)))
        .onFailure(failed -> releaseLocks())
        .onSuccess(done -> log.info("game-events {} on {}:{} (roles: {}; sink: {}; instances: http {}, dedup {}, "
                + "delivery {}; dedup partitions {})",
            view.clustered() ? "node " + view.selfId() + " listening" : "listening",
            appConfig.http().host(), appConfig.http().port(), roles(), appConfig.delivery().sink(),
            appConfig.http().instances(), appConfig.dedup().instances(), appConfig.delivery().instances(),
            appConfig.dedup().partitions()));
  }

  /**
   * Locks the directories this node writes, then publishes files a crashed run left in progress
   * (blocking). The lock comes first: the files of a node still running are not left over.
   */
  private Void prepareDisk(AppConfig config) throws Exception {
    if (config.cluster().has(Role.DEDUP)) {
      locks.add(DirectoryLock.acquire(Path.of(config.dedup().directory()), "dedup.directory"));
    }
    if (config.cluster().has(Role.DELIVERY) && "file".equals(config.delivery().sink())) {
      locks.add(DirectoryLock.acquireBeside(Path.of(config.delivery().file().directory()), "delivery.file.directory"));
      int recovered = FileSink.recoverInProgressFiles(Path.of(config.delivery().file().directory()));
      if (recovered > 0) {
        log.info("published {} file(s) left in progress by the previous run", recovered);
      }
    }
    return null;
  }

  /** A node whose partition count differs would route ids to owners that don't hold them: refuse it. */
  private void checkPartitionsAgree() {
    int mine = appConfig.dedup().partitions();
    for (Map.Entry<String, NodeRoles> member : view.allMembers().entrySet()) {
      if (member.getValue().partitions() != mine) {
        view.close();
        throw new ConfigException("config key 'dedup.partitions' is " + mine + " on this node but "
            + member.getValue().partitions() + " on cluster member " + member.getKey()
            + ": every node of a cluster must use the same value");
      }
    }
  }

  private Future<Void> deployStages(EventValidator validator, Authenticator authenticator) {
    AppConfig c = appConfig;
    // Timeouts nest so that a 503 is never followed by a late success: HTTP waits request_timeout;
    // dedup gives up on delivery a little earlier, so it can release the ids first; delivery only
    // starts a write that the sink can finish (its own delivery deadline) before dedup gives up.
    long http = c.http().requestTimeoutMs();
    long dedupToDelivery = http - Math.min(1000, http / 10);
    long startWritingWithin = Math.max(1, dedupToDelivery - Sinks.deliveryDeadlineMs(c.delivery()) - 500);
    AtomicInteger instance = new AtomicInteger();
    Future<Void> deployed = Future.succeededFuture();
    if (c.cluster().has(Role.DELIVERY)) {
      deployed = deployed.compose(v -> deploy(() -> new DeliveryVerticle(c.delivery(),
          () -> sinkFactory.create(vertx, c.delivery()), Sinks.concurrentWrites(c.delivery()), startWritingWithin,
          () -> drainDeadlineMillis, view.selfId()), c.delivery().instances()));
    }
    if (c.cluster().has(Role.DEDUP)) {
      deployed = deployed.compose(v -> deploy(() -> new DedupVerticle(c.dedup(), instance.getAndIncrement(),
          dedupToDelivery, view, registry, () -> drainDeadlineMillis), c.dedup().instances()));
    }
    boolean ingest = c.cluster().has(Role.HTTP);
    deployed = deployed.compose(v -> deploy(() -> new HttpVerticle(c, authenticator, validator,
        () -> drainDeadlineMillis, view, ingest), ingest ? c.http().instances() : 1));
    return deployed;
  }

  private Future<Void> deploy(java.util.function.Supplier<io.vertx.core.Deployable> stage, int instances) {
    return vertx.deployVerticle(stage, new DeploymentOptions().setInstances(instances))
        .onSuccess(stages::push)
        .mapEmpty();
  }

  private String roles() {
    return appConfig.cluster().roles().stream().map(Role::key).collect(Collectors.joining(", "));
  }

  /**
   * Graceful shutdown, within {@code shutdown_timeout_ms} in all: HTTP stops first (503 to new
   * requests, in-flight ones answered), then dedup (the node tells the cluster it is leaving, and
   * each partition is handed over once its events are answered), then delivery (flushes its
   * batches and closes the sink). Idempotent. Vert.x stops child deployments before their parent's stop(), in
   * no order, so whoever stops the service must call this first: {@link Main} does on SIGTERM.
   */
  public synchronized Future<Void> drain() {
    if (drained == null) {
      long timeoutMs = appConfig == null ? 0 : appConfig.shutdownTimeoutMs();
      drainDeadlineMillis = System.currentTimeMillis() + timeoutMs;
      if (stages.isEmpty()) {
        drained = Future.succeededFuture();
      } else {
        log.info("draining: no new requests; delivering what is in flight");
        drained = undeployNext().onComplete(done -> log.info("drained: every accepted event is delivered"));
      }
      drained = drained.onComplete(done -> {
        if (view != null) {
          view.close();
        }
        releaseLocks();
      });
    }
    return drained;
  }

  private synchronized void releaseLocks() {
    locks.forEach(DirectoryLock::close);
    locks.clear();
  }

  private Future<Void> undeployNext() {
    String id = stages.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id).recover(e -> Future.succeededFuture()).compose(done -> undeployNext());
  }

  public AppConfig appConfig() {
    return appConfig;
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public Future<?> stop() {
    return drain();
  }
}
