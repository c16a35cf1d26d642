package io.gameevents;

import io.gameevents.cluster.ClusterTls;
import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.RefusedPeers;
import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.cluster.NodeRoles;
import io.gameevents.cluster.SharedSettings;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ConfigLoader;
import io.gameevents.dedup.DedupHasher;
import io.gameevents.dedup.DedupIdentity;
import io.gameevents.dedup.DedupVerticle;
import io.gameevents.delivery.DeliveryVerticle;
import io.gameevents.delivery.ConfiguredSink;
import io.gameevents.delivery.DeliveryMeters;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.forward.ForwarderVerticle;
import io.gameevents.forward.Spool;
import io.gameevents.http.AccessLog;
import io.gameevents.http.AddressSlots;
import io.gameevents.http.limit.AddressBuckets;
import io.gameevents.http.HttpVerticle;
import io.gameevents.debugger.Debugger;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.auth.ReloadableAuthenticator;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.metrics.Metrics;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.config.Timeouts;
import io.gameevents.pipeline.WireLimits;
import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacyrequests.ClusterNodes;
import io.gameevents.privacyrequests.ErasureNodes;
import io.gameevents.privacyrequests.LocalNodes;
import io.gameevents.privacyrequests.NodeStores;
import io.gameevents.privacyrequests.PrivacyRequests;
import io.gameevents.privacyrequests.PrivacyRoutes;
import io.gameevents.suppression.SubjectDigest;
import io.gameevents.suppression.SuppressionKey;
import io.gameevents.suppression.SuppressionList;
import io.gameevents.suppression.SuppressionReplication;
import io.gameevents.util.DirectoryLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Loads and validates the configuration, joins the cluster view, then deploys this node's stages
 * (its {@code cluster.roles}, all by default) back to front: forward (spool mode only), delivery,
 * dedup, http, each with its own instance count, so no stage receives traffic before the next one
 * is there. A node without the http role still serves /health, /ready and /metrics on
 * {@code http.port}. {@link #drain()} undeploys them front to back, so every accepted request is
 * answered and every taken event delivered (or spooled) before the sink closes; dedup hands its
 * partitions over on the way, and the forwarder stops last, its records safe in the spool.
 */
public class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final Sinks.Factory sinkFactory;
  private final LongSupplier rateClock;
  private MeterRegistry registry;
  private final Deque<String> stages = new ArrayDeque<>();
  private AppConfig appConfig;
  private ClusterView view;
  /** The data directories this node writes, locked until it stops. */
  private final List<AutoCloseable> locks = new ArrayList<>();
  /** Hashes event ids into their dedup identity and partition; null on a node that runs neither http nor dedup. */
  private DedupHasher hasher;
  /** This node's copy of the suppression list: the HTTP stage checks it, privacy requests change it. */
  private SuppressionList suppressions;
  /** This node's privacy requests (null before the stages deploy). */
  private PrivacyRequests privacyRequests;
  /** This node's spool in spool mode (locked with the others). */
  private Spool spool;
  private Future<Void> drained;
  /** The keys the HTTP stage checks, replaced by {@link #reloadCredentials}. */
  private ReloadableAuthenticator credentials;
  /** The -conf file, re-read on SIGHUP and when it changes; null when embedded (config given as JSON). */
  private volatile Path configFile;
  private long watchIntervalMs;
  private long watchTimer = -1;
  private String watchedVersion;
  private volatile long drainDeadlineMillis = Long.MAX_VALUE;
  /** Set once every stage is up: a start that failed half-way is undone quietly, nothing was accepted. */
  private volatile boolean started;

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
    this(sinkFactory, registry, System::nanoTime);
  }

  /** @param rateClock nanos for the rate-limit buckets: {@link System#nanoTime}, or a test's own clock */
  public MainVerticle(Sinks.Factory sinkFactory, MeterRegistry registry, LongSupplier rateClock) {
    this.sinkFactory = sinkFactory;
    this.registry = registry;
    this.rateClock = rateClock;
  }

  @Override
  public Future<?> start() {
    if (registry == null) {
      registry = Metrics.registry();
    }
    return ConfigLoader.load(config())
        .compose(loaded -> {
          appConfig = loaded;
          Pipeline.registerCodecs(vertx, WireLimits.of(loaded.http()));
          // the schemas (the longest step here) compile on a worker of their own while the disk is prepared,
          // the cluster joined and the keys hashed; no stage is deployed before they are ready, so the first
          // request a stage takes is validated against every schema in force
          Future<EventValidator> compiled = vertx.executeBlocking(() -> EventValidator.load(loaded.validation()), false);
          return vertx.executeBlocking(() -> prepareDisk(loaded))
              .compose(ignored -> ClusterView.start(vertx, NodeRoles.of(appConfig), clusterKey(appConfig),
                  new UnprovenEntries(registry)))
              .compose(started -> {
                view = started;
                checkMembersAgree();
                return vertx.executeBlocking(this::adoptDedupJournal);
              })
              .compose(adopted -> Authenticator.create(vertx, appConfig.auth(), rateClock))
              .compose(authenticator -> compiled.compose(validator -> {
                credentials = new ReloadableAuthenticator(authenticator);
                watchConfigFile();
                return deployStages(validator, credentials);
              }));
        })
        .onFailure(failed -> releaseLocks())
        .onSuccess(done -> started = true)
        .onSuccess(done -> log.info("game-events {} on {}:{}{} (roles: {}; sink: {}, ack: {}; instances: http {}, "
                + "dedup {}, delivery {}; dedup partitions {}; transport {})",
            view.clustered() ? "node " + view.selfId() + " listening" : "listening",
            appConfig.http().host(), appConfig.http().port(),
            appConfig.http().managementPort().isPresent()
                ? ", /metrics on :" + appConfig.http().managementPort().getAsInt() : "",
            roles(), appConfig.delivery().sinkName(),
            appConfig.delivery().ack().key(),
            appConfig.http().instances(), appConfig.dedup().instances(), appConfig.delivery().instances(),
            appConfig.dedup().partitions(), vertx.isNativeTransportEnabled() ? "epoll" : "nio"));
  }

  /**
   * Locks the directories this node writes, then repairs what a crashed run left (blocking): the
   * sink's own start-up recovery, or the spool's (its open segments published, its size measured).
   * The lock comes first: the files of a node still running are not left over.
   */
  private Void prepareDisk(AppConfig config) throws Exception {
    if (config.cluster().has(Role.DEDUP)) {
      locks.add(DirectoryLock.acquire(Path.of(config.dedup().directory()), "dedup.directory"));
    }
    boolean delivers = config.cluster().has(Role.DELIVERY);
    if (config.delivery().spooled() && (delivers || config.cluster().has(Role.FORWARD))) {
      spool = Spool.open(config.spool(), registry);
      locks.add(spool);
    } else if (delivers) {
      locks.add(config.delivery().sink().prepare());
    }
    // after every lock: a node refused a directory in use writes nothing, not even its own key file
    Path privacy = Path.of(config.privacy().directory());
    byte[] suppressionKey = vertx.isClustered() && config.cluster().secret() != null
        ? SuppressionKey.derive(config.cluster().secret()) : SuppressionKey.ownKey(privacy);
    suppressions = SuppressionList.open(privacy, new SubjectDigest(suppressionKey));
    if (config.cluster().has(Role.DEDUP) || config.cluster().has(Role.HTTP)) {
      hasher = new DedupHasher(DedupIdentity.key(config.dedup(), vertx.isClustered()));
    }
    return null;
  }

  /**
   * The key owner entries and node metadata are proven with: derived from {@code cluster.secret} in a cluster
   * ({@code -cluster} refuses to start without it), a key of the process's own on a single node, whose owner map
   * is local.
   */
  private ClusterKey clusterKey(AppConfig config) {
    if (!vertx.isClustered()) {
      return ClusterKey.random();
    }
    if (config.cluster().secret() == null) {
      throw new ConfigException("config key 'cluster.secret' is required with -cluster");
    }
    return ClusterKey.derive(config.cluster().secret());
  }

  /**
   * A node whose {@link SharedSettings} differ from a member's would misroute or refuse its messages: refuse it.
   * A member whose metadata does not verify is no member, but one that names another {@code cluster.secret} is
   * most likely a member configured apart: say so rather than start a node that ignores, and is ignored by, the
   * rest.
   */
  private void checkMembersAgree() {
    SharedSettings mine = view.self().shared();
    for (Map.Entry<String, NodeRoles> member : view.allMembers().entrySet()) {
      refuseIf(mine.difference(member.getValue().shared(), member.getKey()));
    }
    for (Map.Entry<String, NodeRoles> member : view.unprovenMembers().entrySet()) {
      refuseIf(mine.secretDifference(member.getValue().shared(), member.getKey()));
    }
  }

  private void refuseIf(String difference) {
    if (difference != null) {
      view.close();
      throw new ConfigException(difference);
    }
  }

  /**
   * Drops the journalled ids a dedup node wrote under another key (blocking). Only once the cluster agreed on
   * the key: a node refused for a wrong key must not have dropped its window on the way.
   */
  private Void adoptDedupJournal() throws java.io.IOException {
    if (appConfig.cluster().has(Role.DEDUP)) {
      DedupIdentity.adoptJournal(Path.of(appConfig.dedup().directory()), hasher);
    }
    return null;
  }

  /** Back to front: forward, delivery, dedup, http; so drain() stops them front to back. */
  private Future<Void> deployStages(EventValidator validator, Authenticator authenticator) {
    AppConfig c = appConfig;
    Timeouts timeouts = Timeouts.of(c.http(), c.delivery().answerWaitsForSinkMs(), c.delivery().sinkName());
    ConfiguredSink<?> sink = c.delivery().sink();
    Metrics.dedupPartitions(registry, c.dedup().partitions());
    if (c.cluster().tls() != null) {
      Metrics.clusterCertificateExpiry(registry, ClusterTls.load(c.cluster().tls()).expiry());
      RefusedPeers.register(registry);
    }
    Future<Void> deployed = Future.succeededFuture();
    if (spool != null && c.cluster().has(Role.FORWARD)) {
      int instances = c.spool().forwardInstances();
      AtomicInteger forwarder = new AtomicInteger();
      deployed = deployed.compose(v -> deploy(() -> new ForwarderVerticle(spool,
          () -> new RetryingWriter(vertx, sinkFactory.create(vertx, c.delivery(), registry), sink.name(),
              sink.retryPolicy().untilConfirmed(), registry),
          sink.concurrentWrites(), forwarder.getAndIncrement(), instances,
          c.delivery().circuitBreaker().openAfterMs()), instances));
    }
    if (c.cluster().has(Role.DELIVERY)) {
      Supplier<RetryingWriter> writer = spool != null
          ? () -> new RetryingWriter(vertx, new FileSink(vertx, Spool.segmentFiles(c.spool()), Clock.systemUTC()), "spool",
              RetryPolicy.ONE_ATTEMPT, registry)
          : () -> new RetryingWriter(vertx, sinkFactory.create(vertx, c.delivery(), registry), sink.name(),
              sink.retryPolicy(), registry);
      int concurrentWrites = spool != null ? 1 : sink.concurrentWrites();
      DeliveryMeters meters = DeliveryMeters.register(registry, DeliveryVerticle.target(c.delivery()),
          (long) c.delivery().instances() * c.delivery().maxInFlightEvents());
      deployed = deployed.compose(v -> deploy(() -> new DeliveryVerticle(c.delivery(), writer, spool,
          concurrentWrites, timeouts.startWritingWithinMs(), () -> drainDeadlineMillis, view.selfId(), meters,
          WireLimits.of(c.http())),
          c.delivery().instances()));
    }
    if (c.cluster().has(Role.DEDUP)) {
      AtomicInteger instance = new AtomicInteger();
      deployed = deployed.compose(v -> deploy(() -> new DedupVerticle(c.dedup(), instance.getAndIncrement(),
          timeouts.dedupToDeliveryMs(), view, registry, () -> drainDeadlineMillis, hasher), c.dedup().instances()));
    }
    boolean ingest = c.cluster().has(Role.HTTP);
    AccessLog accessLog = new AccessLog(c.log());
    AddressSlots addressSlots = new AddressSlots(c.http().maxRequestsPerAddress());
    AddressBuckets addressBuckets = new AddressBuckets(c.http().maxRateLimitedAddresses(), rateClock);
    Debugger debugger = new Debugger(c.debugger(), AdminTokens.from(c.admin(), c.auth()), view.selfId(),
        c.http().port(), registry);
    // in a cluster the list is carried to every node with a proof of cluster.secret; alone, it is this node's
    SuppressionReplication replication = vertx.isClustered()
        ? new SuppressionReplication(vertx, suppressions, view.key(), view.unproven()) : null;
    NodeStores nodeStores = new NodeStores(erasableStores(), c.cluster().has(Role.DEDUP), Clock.systemUTC());
    ErasureNodes erasureNodes;
    if (vertx.isClustered()) {
      ClusterNodes members = new ClusterNodes(vertx, view, nodeStores);
      members.start();
      erasureNodes = members;
    } else {
      erasureNodes = new LocalNodes(vertx, view.selfId(), nodeStores);
    }
    privacyRequests = new PrivacyRequests(vertx, Path.of(c.privacy().directory()), suppressions, erasureNodes,
        Clock.systemUTC(), PRIVACY_RETRY_MS,
        entry -> {
          if (replication != null) {
            replication.announce(entry).onFailure(e -> log.warn("privacy: suppression entry announced but not put "
                + "in the cluster's map (the nodes up now have it; one joining later may not): {}", e.toString()));
          }
        });
    PrivacyRoutes operators = new PrivacyRoutes(debugger, privacyRequests);
    if (replication != null) {
      deployed = deployed.compose(v -> replication.start());
    }
    deployed = deployed.compose(v -> privacyRequests.start());
    deployed = deployed.compose(v -> deploy(() -> new HttpVerticle(c, authenticator, validator,
        () -> drainDeadlineMillis, view, ingest, registry, accessLog, addressSlots, addressBuckets,
        operators, hasher, suppressions),
        ingest ? c.http().instances() : 1));
    return deployed;
  }

  /** How long a node's failed erasure waits before it is asked again. */
  private static final long PRIVACY_RETRY_MS = 30_000;

  /**
   * The stores of this node that hold records of players and can erase one (each stage that keeps records
   * registers its own here).
   */
  private List<ErasableStore> erasableStores() {
    return List.of();
  }

  private Future<Void> deploy(Supplier<Deployable> stage, int instances) {
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
      } else if (!started) {
        // no request was ever taken: "draining ... drained" after a failed start would only mislead
        drained = undeployNext();
      } else {
        log.info("draining: no new requests; delivering what is in flight");
        vertx.eventBus().publish(Pipeline.deliveryDrainAddress(view.selfId()), null,
            new DeliveryOptions().setLocalOnly(true));
        drained = undeployNext().onComplete(done -> log.info("drained: every accepted event is delivered"));
      }
      if (watchTimer >= 0) {
        vertx.cancelTimer(watchTimer);
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
    for (AutoCloseable lock : locks) {
      try {
        lock.close();
      } catch (Exception e) {
        log.warn("cannot release a directory lock: {}", e.toString());
      }
    }
    locks.clear();
    if (privacyRequests != null) {
      privacyRequests.close();
    }
    if (suppressions != null) {
      try {
        suppressions.close();
      } catch (java.io.IOException e) {
        log.warn("cannot close the suppression list: {}", e.toString());
      }
    }
  }

  private Future<Void> undeployNext() {
    String id = stages.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id).recover(e -> Future.succeededFuture()).compose(done -> undeployNext());
  }

  /**
   * Re-reads the API keys and JWT keys from the {@code -conf} file ({@link Main} calls this on
   * SIGHUP, and a timer when the file changes) every {@code intervalMs} (0: no watching).
   */
  public MainVerticle configFile(Path file, long intervalMs) {
    this.configFile = file;
    this.watchIntervalMs = intervalMs;
    return this;
  }

  /** Reloads the credentials from the {@code -conf} file, if there is one. */
  public Future<Void> reloadCredentials() {
    Path file = configFile;
    if (file == null || vertx == null) {
      return Future.failedFuture(new IllegalStateException("no config file to reload from"));
    }
    return vertx.fileSystem().readFile(file.toString())
        .compose(bytes -> Future.succeededFuture(new io.vertx.core.json.JsonObject(bytes)))
        .recover(e -> {
          ConfigException unreadable = new ConfigException("config file " + file.toAbsolutePath()
              + " is not a readable JSON object: " + Main.firstLine(e.getMessage()));
          log.error("credentials not reloaded, the current keys stay in use: {}", unreadable.getMessage());
          return Future.failedFuture(unreadable);
        })
        .compose(this::reloadCredentials);
  }

  /**
   * Key rotation without a restart: validates the whole config as at start-up (file, then the
   * environment; the published dev keys off loopback included), checks that no new API key is an admin token
   * (neither one the debugger holds, nor one of the file's), prepares the new keys, then swaps them in. Only
   * {@code auth} takes effect; other changes wait for a restart. A config that fails keeps the current keys and
   * logs one line.
   */
  public Future<Void> reloadCredentials(io.vertx.core.json.JsonObject fileConfig) {
    if (credentials == null) {
      return Future.failedFuture(new IllegalStateException("not started"));
    }
    return ConfigLoader.load(fileConfig)
        .compose(this::checkAgainstAdminTokens)
        .compose(loaded -> Authenticator.create(vertx, loaded.auth(), rateClock).map(fresh -> {
          credentials.replace(fresh);
          log.info("credentials reloaded: {} API key(s), JWT {}", loaded.auth().apiKeys().size(),
              loaded.auth().jwt() == null ? "off" : "on");
          return (Void) null;
        }))
        .onFailure(e -> log.error("credentials not reloaded, the current keys stay in use: {}", e.getMessage()));
  }

  /**
   * The start-up check of {@link AdminTokens#from}: admin tokens are not reloaded, so the debugger keeps those it
   * started with, and a new API key equal to one of them would open it; one equal to a token of the file would
   * fail the next start.
   */
  private Future<AppConfig> checkAgainstAdminTokens(AppConfig loaded) {
    try {
      AdminTokens.from(appConfig.admin(), loaded.auth());
      AdminTokens.from(loaded.admin(), loaded.auth());
      return Future.succeededFuture(loaded);
    } catch (ConfigException sameKey) {
      return Future.failedFuture(sameKey);
    }
  }

  /** Polls the file's size and modification time: cheap, and works on every file system and volume mount. */
  private void watchConfigFile() {
    Path file = configFile;
    if (file == null || watchIntervalMs <= 0) {
      return;
    }
    watchedVersion = version(file);
    watchTimer = vertx.setPeriodic(watchIntervalMs, id -> vertx.executeBlocking(() -> version(file), false)
        .onSuccess(seen -> {
          if (seen != null && !seen.equals(watchedVersion)) {
            watchedVersion = seen;
            log.info("config file {} changed: reloading the credentials", file);
            reloadCredentials();
          }
        }));
  }

  private static String version(Path file) {
    try {
      return java.nio.file.Files.size(file) + "@" + java.nio.file.Files.getLastModifiedTime(file).toMillis();
    } catch (java.io.IOException e) {
      return null;
    }
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
