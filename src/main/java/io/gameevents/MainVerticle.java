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
import io.gameevents.dedup.DedupVerticle;
import io.gameevents.dedup.routing.DedupCodecs;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupIdentity;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.dedup.storage.SinkRebuild;
import io.gameevents.delivery.DeliveryVerticle;
import io.gameevents.delivery.ConfiguredSink;
import io.gameevents.delivery.DeliveryMeters;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.StoredRecords;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkRecords;
import io.gameevents.forward.ForwarderVerticle;
import io.gameevents.forward.Spool;
import io.gameevents.http.AccessLog;
import io.gameevents.http.AddressSlots;
import io.gameevents.http.limit.AddressBuckets;
import io.gameevents.http.HttpVerticle;
import io.gameevents.privacy.Suppressions;
import io.gameevents.delivery.WarehouseTombstones;
import io.gameevents.delivery.file.LakeStore;
import io.gameevents.forward.SpoolStore;
import io.gameevents.debugger.DebuggerStore;
import io.gameevents.http.refused.RefusedStore;
import io.gameevents.debugger.Debugger;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.auth.ReloadableAuthenticator;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.metrics.Metrics;
import io.gameevents.node.NodeContext;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.config.Timeouts;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.WireLimits;
import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacyrequests.ClusterErasures;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The composition root. Takes the configuration Main loaded (or, embedded, loads its deployment's JSON config
 * with the environment it was given), joins the cluster view, then builds and deploys this node's stages
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
  /** The process environment as Main read it: applied over the config, and over it again on a reload. */
  private final Map<String, String> environment;
  /** The config as Main loaded it; null when embedded, where the deployment's JSON config is loaded instead. */
  private final ServiceConfig loadedConfig;
  private final Deque<String> stages = new ArrayDeque<>();
  private AppConfig appConfig;
  /** The delivery section, read by the delivery stage's own parser (see {@link ServiceConfig}). */
  private DeliveryConfig delivery;
  private ClusterView view;
  /** The data directories this node writes, locked until it stops. */
  private final List<AutoCloseable> locks = new ArrayList<>();
  /** Hashes event ids into their dedup identity and partition; null on a node that runs neither http nor dedup. */
  private DedupHasher hasher;
  /** This node's copy of the suppression list: the HTTP stage checks it, privacy requests change it. */
  private SuppressionList suppressions;
  /** This node's privacy requests (null before the stages deploy). */
  private PrivacyRequests privacyRequests;
  /** In a cluster: every erasure reaches every node, also one that was down. */
  private ClusterErasures clusterErasures;
  private SuppressionReplication suppressionReplication;
  /** This node's spool in spool mode (locked with the others). */
  private Spool spool;
  /** Where this node keeps the events it refuses for their content (an edge's own, in the sink's refused place). */
  private RefusedStore refused;
  private Future<Void> drained;
  /** The keys the HTTP stage checks, replaced by {@link #reloadCredentials}. */
  private ReloadableAuthenticator credentials;
  /** The -conf file, re-read on SIGHUP and when it changes; null when embedded (config given as JSON). */
  private final Path configFile;
  private final long watchIntervalMs;
  private long watchTimer = -1;
  private String watchedVersion;
  private volatile long drainDeadlineMillis = Long.MAX_VALUE;
  /** Set once every stage is up: a start that failed half-way is undone quietly, nothing was accepted. */
  private volatile boolean started;

  private MainVerticle(Builder builder) {
    this.sinkFactory = builder.sinks;
    this.registry = builder.registry;
    this.rateClock = builder.rateClock;
    this.environment = builder.environment;
    this.loadedConfig = builder.config;
    this.configFile = builder.configFile;
    this.watchIntervalMs = builder.watchIntervalMs;
  }

  /** How Main, and every test, builds the service: what is not set takes the production default. */
  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {

    private Sinks.Factory sinks = Sinks.FROM_CONFIG;
    private MeterRegistry registry;
    private LongSupplier rateClock = System::nanoTime;
    private Map<String, String> environment = Map.of();
    private ServiceConfig config;
    private Path configFile;
    private long watchIntervalMs;

    private Builder() {
    }

    /** How sinks are made from the delivery section: {@link Sinks#FROM_CONFIG}, or a test's own. */
    public Builder sinks(Sinks.Factory sinks) {
      this.sinks = sinks;
      return this;
    }

    /**
     * Where the stages' meters go (each node of an in-process test cluster has its own); unset for Vert.x's
     * Prometheus registry, which exists only once Vert.x has started.
     */
    public Builder registry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Nanos for the rate-limit buckets: {@link System#nanoTime}, or a test's own clock. */
    public Builder rateClock(LongSupplier rateClock) {
      this.rateClock = rateClock;
      return this;
    }

    /** The process environment, read once by Main (none by default: a test's config is all it runs with). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The config, already loaded; unset, the verticle loads its deployment's JSON config with the environment. */
    public Builder config(ServiceConfig config) {
      this.config = config;
      return this;
    }

    /**
     * The {@code -conf} file the credentials are reloaded from on SIGHUP ({@link #reloadCredentials()}) and when
     * it changes, checked every {@code intervalMs} (0: not watched).
     */
    public Builder configFile(Path file, long intervalMs) {
      this.configFile = file;
      this.watchIntervalMs = intervalMs;
      return this;
    }

    public MainVerticle build() {
      return new MainVerticle(this);
    }
  }

  @Override
  public Future<?> start() {
    if (registry == null) {
      registry = Metrics.registry();
    }
    return (loadedConfig != null ? Future.succeededFuture(loadedConfig)
        : ServiceConfig.loading(config(), environment))
        .compose(service -> {
          AppConfig loaded = service.app();
          appConfig = loaded;
          delivery = service.delivery();
          Wire.registerCodecs(vertx, WireLimits.of(loaded.http()));
          DedupCodecs.register(vertx, WireLimits.of(loaded.http()));
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
            roles(), delivery.sinkName(),
            delivery.ack().key(),
            appConfig.http().instances(), appConfig.dedup().instances(), delivery.instances(),
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
    if (delivery.spooled() && (delivers || config.cluster().has(Role.FORWARD))) {
      spool = Spool.open(config.spool(), registry);
      locks.add(spool);
    } else if (delivers) {
      locks.add(delivery.sink().prepare());
    }
    if (config.cluster().has(Role.HTTP)) {
      // the edge keeps what it refuses itself, before answering: a refused event never crosses the event bus
      // the list is opened below, after every lock; it is read when an event is refused, long after start-up
      refused = RefusedStore.of(config.refused(), delivery, config.http().maxRateLimitedAddresses(), registry,
          rateClock, (app, player, device) -> suppressions.suppressed(app, player, device));
      locks.add(refused.open(vertx));
    } else {
      refused = RefusedStore.off(registry);
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
      if (DedupIdentity.adoptJournal(Path.of(appConfig.dedup().directory()), hasher)) {
        rebuildDedupFromSink();
      } else {
        SinkRebuild.restart(appConfig.dedup(), System.currentTimeMillis()); // the window restarts, as it warned
      }
    }
    return null;
  }

  /**
   * The ids of records this node's sink (or spool) stored after the dedup journal was last durable go back into
   * the journal before any partition loads it, so a kill -9 forgets no acknowledged event (blocking). Only on a node
   * that also delivers: dedup sends its batches to its own node's delivery stage, so these are its records.
   */
  private void rebuildDedupFromSink() throws java.io.IOException {
    AppConfig c = appConfig;
    if (!c.cluster().has(Role.DELIVERY)) {
      return;
    }
    Optional<StoredRecords> stored = spool != null
        ? Optional.of(new FileSinkRecords(Spool.segmentFiles(c.spool())))
        : delivery.sink().storedRecords();
    if (stored.isEmpty()) {
      return;
    }
    long commitLag = Timeouts.of(c.http(), delivery.answerWaitsForSinkMs(), delivery.sinkName())
        .dedupToDeliveryMs();
    SinkRebuild.Result rebuilt = SinkRebuild.run(c.dedup(), hasher,
        (since, visitor) -> stored.get().forEachSince(since, visitor::visit), commitLag, System.currentTimeMillis());
    if (rebuilt.records() > 0) {
      log.info("dedup: {} id(s) read back from the {} files written since {} ({} ms)", rebuilt.records(),
          spool != null ? "spool's" : "sink's", java.time.Instant.ofEpochMilli(rebuilt.sinceMillis()),
          rebuilt.millis());
    }
  }

  /**
   * The composition root: each stage's context is built here, from the node's, and nowhere else. Deployed back to
   * front (forward, delivery, dedup, http), so no stage receives traffic before the next one is there and drain()
   * stops them front to back. Each stage is its own verticle with its own instance count; which run on this node
   * is its {@code cluster.roles}.
   */
  private Future<Void> deployStages(EventValidator validator, Authenticator authenticator) {
    AppConfig c = appConfig;
    NodeContext node = new NodeContext(c, registry, view, () -> drainDeadlineMillis, rateClock);
    Timeouts timeouts = Timeouts.of(c.http(), delivery.answerWaitsForSinkMs(), delivery.sinkName());
    Metrics.dedupPartitions(registry, c.dedup().partitions());
    if (c.cluster().tls() != null) {
      Metrics.clusterCertificateExpiry(registry, ClusterTls.load(c.cluster().tls()).expiry());
      RefusedPeers.register(registry);
    }
    Future<Void> deployed = Future.succeededFuture();
    if (spool != null && c.cluster().has(Role.FORWARD)) {
      ForwarderVerticle.Context forward = forwardStage(c);
      AtomicInteger instance = new AtomicInteger();
      deployed = deployed.compose(v -> deploy(() -> new ForwarderVerticle(forward, instance.getAndIncrement()),
          forward.instances()));
    }
    if (c.cluster().has(Role.DELIVERY)) {
      DeliveryVerticle.Context stage = deliveryStage(node, timeouts);
      deployed = deployed.compose(v -> deploy(() -> new DeliveryVerticle(stage), delivery.instances()));
    }
    if (c.cluster().has(Role.DEDUP)) {
      DedupVerticle.Context dedup = new DedupVerticle.Context(node, c.dedup(), timeouts.dedupToDeliveryMs(), hasher);
      AtomicInteger instance = new AtomicInteger();
      deployed = deployed.compose(v -> deploy(() -> new DedupVerticle(dedup, instance.getAndIncrement()),
          c.dedup().instances()));
    }
    // every node answers the probes and serves /metrics; only an edge (the http role) takes events
    HttpVerticle.Context http = httpStage(node, validator, authenticator);
    deployed = deployed.compose(v -> startPrivacy());
    deployed = deployed.compose(v -> deploy(() -> new HttpVerticle(http), http.ingest() ? c.http().instances() : 1));
    return deployed;
  }

  /** Ships the spool to the remote sink, through a writer that retries until the sink confirms. */
  private ForwarderVerticle.Context forwardStage(AppConfig c) {
    ConfiguredSink<?> sink = delivery.sink();
    return new ForwarderVerticle.Context(spool,
        () -> new RetryingWriter(vertx, sinkFactory.create(vertx, delivery, registry), sink.name(),
            sink.retryPolicy().untilConfirmed(), registry),
        sink.concurrentWrites(), c.spool().forwardInstances(), delivery.circuitBreaker().openAfterMs());
  }

  /** Writes to the sink, or in spool mode to this node's spool (one attempt, one write at a time: an fsync). */
  private DeliveryVerticle.Context deliveryStage(NodeContext node, Timeouts timeouts) {
    AppConfig c = node.config();
    ConfiguredSink<?> sink = delivery.sink();
    Supplier<RetryingWriter> writer = spool != null
        ? () -> new RetryingWriter(vertx, new FileSink(vertx, Spool.segmentFiles(c.spool()), Clock.systemUTC()), "spool",
            RetryPolicy.ONE_ATTEMPT, registry)
        : () -> new RetryingWriter(vertx, sinkFactory.create(vertx, delivery, registry), sink.name(),
            sink.retryPolicy(), registry);
    int concurrentWrites = spool != null ? 1 : sink.concurrentWrites();
    DeliveryMeters meters = DeliveryMeters.register(registry, DeliveryVerticle.target(delivery),
        (long) delivery.instances() * delivery.maxInFlightEvents());
    return new DeliveryVerticle.Context(node, delivery, writer, spool, concurrentWrites,
        timeouts.startWritingWithinMs(), meters, WireLimits.of(c.http()));
  }

  /** The per-node parts of the HTTP stage, shared by its instances, so their limits and buffers are the node's. */
  private HttpVerticle.Context httpStage(NodeContext node, EventValidator validator, Authenticator authenticator) {
    AppConfig c = node.config();
    Debugger debugger = new Debugger(c.debugger(), AdminTokens.from(c.admin(), c.auth()), view.selfId(),
        c.http().port(), registry);
    PrivacyRoutes operators = new PrivacyRoutes(debugger, privacyRequests(c, debugger));
    return new HttpVerticle.Context(node, delivery, authenticator, validator, c.cluster().has(Role.HTTP),
        new AccessLog(c.log()), new AddressSlots(c.http().maxRequestsPerAddress()),
        new AddressBuckets(c.http().maxRateLimitedAddresses(), rateClock), operators, hasher, refused, suppressions);
  }

  /**
   * Privacy requests taken on this node: the suppression list (in a cluster carried to every node with a proof of
   * cluster.secret; alone, this node's), and the erasure of a subject from every node's stores.
   */
  private PrivacyRequests privacyRequests(AppConfig c, Debugger debugger) {
    suppressionReplication = vertx.isClustered()
        ? new SuppressionReplication(vertx, suppressions, view.key(), view.unproven()) : null;
    NodeStores nodeStores = new NodeStores(erasableStores(c, debugger), c.cluster().has(Role.DEDUP), Clock.systemUTC());
    // in a cluster the erasures go through ClusterErasures (below) instead, which every node reads
    ErasureNodes erasureNodes = new LocalNodes(vertx, view.selfId(), nodeStores);
    SuppressionReplication replication = suppressionReplication;
    privacyRequests = new PrivacyRequests(vertx, Path.of(c.privacy().directory()), suppressions, erasureNodes,
        Clock.systemUTC(), PRIVACY_RETRY_MS,
        entry -> {
          if (replication != null) {
            replication.announce(entry).onFailure(e -> log.warn("privacy: suppression entry announced but not put "
                + "in the cluster's map (the nodes up now have it; one joining later may not): {}", e.toString()));
          }
        });
    if (vertx.isClustered()) {
      PrivacyRequests taken = privacyRequests;
      clusterErasures = new ClusterErasures(vertx, view, nodeStores, Path.of(c.privacy().directory()),
          Clock.systemUTC(), taken::clusterCompleted);
      privacyRequests.distributeWith(clusterErasures);
    }
    return privacyRequests;
  }

  /** The suppression list's replication first, so a resumed request's entries reach the cluster's map. */
  private Future<Void> startPrivacy() {
    Future<Void> replicated = suppressionReplication != null ? suppressionReplication.start() : Future.succeededFuture();
    Future<Void> erasures = replicated.compose(v -> clusterErasures != null ? clusterErasures.start()
        : Future.succeededFuture());
    return erasures.compose(v -> privacyRequests.start());
  }

  /** How long a node's failed erasure waits before it is asked again. */
  private static final long PRIVACY_RETRY_MS = 30_000;

  /**
   * The stores of this node that hold records of players and can erase one: the lake of a file sink, the spool, the
   * refused tree an edge keeps, the debugger's buffer; and, on a delivery node with a tombstone salt, the tombstone that
   * carries the erasure to the warehouse.
   */
  private List<ErasableStore> erasableStores(AppConfig c, Debugger debugger) {
    List<ErasableStore> stores = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    if (c.cluster().has(Role.DELIVERY)) {
      LakeStore.of(delivery.sink(), clock).ifPresent(stores::add);
      if (c.privacy().tombstoneSalt() != null) {
        stores.add(new WarehouseTombstones(vertx, view.selfId(), c.privacy().tombstoneSalt(), clock,
            Timeouts.of(c.http(), delivery.answerWaitsForSinkMs(), delivery.sinkName()).dedupToDeliveryMs()));
      }
    }
    if (spool != null) {
      stores.add(new SpoolStore(spool, clock));
    }
    if (c.cluster().has(Role.HTTP)) {
      refused.erasable(clock).ifPresent(stores::add);
    }
    stores.add(new DebuggerStore(debugger, clock));
    return stores;
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
    if (clusterErasures != null) {
      clusterErasures.close();
    }
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
              + " is not a readable JSON object: " + firstLine(e.getMessage()));
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
    return ServiceConfig.loading(fileConfig, environment).map(ServiceConfig::app)
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

  /** The first line of an error message: start-up failures and reload errors are one line each. */
  static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  @Override
  public Future<?> stop() {
    return drain();
  }
}
