package io.gameevents.http;

import io.gameevents.cluster.ClusterView;
import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.routing.DedupClient;
import io.gameevents.dedup.routing.OwnerTable;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.limit.AddressBuckets;
import io.gameevents.http.problem.Reason;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.node.NodeContext;
import io.gameevents.http.refused.RefusedStore;
import io.gameevents.privacy.Suppressions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.function.LongSupplier;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

/**
 * The HTTP stage: routes and graceful draining. Per request: {@link RequestGate} (before the body),
 * {@link BodyReader}, then {@link IngestHandler}; probes and docs in {@link ProbeHandler} and {@link ApiDocs}.
 * A node without the http role runs one instance with {@code ingest} off: /health, /ready and
 * /metrics for its operators and probes, and no event endpoints. With {@code http.management_port}
 * set, /metrics, the live event debugger and the admin replay endpoint ({@link ReplayHandler}) move to a second
 * listener there, which serves the probes as well.
 */
public class HttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private static final String INGEST_PATHS = "/v1/(batch|events|events/[^/]+)";
  /** How long the 503s answered at the shutdown deadline get to be written before the listener closes. */
  private static final long ANSWER_GRACE_MS = 1000;

  private final Context context;
  private final AppConfig config;
  private final Authenticator authenticator;
  private final EventValidator validator;
  private final LongSupplier shutdownDeadlineMillis;
  private final ClusterView view;
  private final boolean ingest;
  private final MeterRegistry registry;
  private final AccessLog accessLog;
  private final AddressSlots addressSlots;
  private final AddressBuckets addressBuckets;
  private final OperatorTools operators;
  private RefusedStore.Writer refusedWriter;

  private HttpServer server;
  /** The listener on http.management_port, if set. */
  private HttpServer managementServer;
  private RequestGate gate;
  private long reportTimer = -1;

  /**
   * Everything the stage is built from; the composition root ({@code MainVerticle}) makes one per node, shared by
   * all its instances. A capability the stage gains (a store to consult, a hook to call) is one more component
   * here, read where it is used ({@link IngestHandler} takes this context too).
   *
   * @param node           the node's shared context: config, registry, cluster view, drain deadline
   * @param delivery       the delivery section: how long a 503 asks clients to wait, the sink's record limit
   * @param authenticator  the API keys and JWT keys requests are checked against (reloadable)
   * @param validator      the event schemas in force
   * @param ingest         false on a node without the http role: probes and /metrics only, no event endpoints
   * @param accessLog      one per node, so its limits are the node's
   * @param addressSlots   requests in flight per client address, counted over the node
   * @param addressBuckets rate-limit buckets per client address, over the node
   * @param operators      the debugger and admin tokens, one per node, so its ring buffer holds the node's traffic
   * @param hasher         picks each event's dedup partition (null when {@code ingest} is false: no event is
   *                       forwarded)
   * @param refused        keeps the events refused for their content (one per node; each instance writes its own
   *                       file of it)
   * @param suppressions   the node's suppression list, checked for each valid event before dedup
   */
  public record Context(NodeContext node, DeliveryConfig delivery, Authenticator authenticator,
                        EventValidator validator, boolean ingest, AccessLog accessLog, AddressSlots addressSlots,
                        AddressBuckets addressBuckets, OperatorTools operators, DedupHasher hasher,
                        RefusedStore refused, Suppressions suppressions) {
  }

  public HttpVerticle(Context context) {
    this.context = context;
    this.operators = context.operators();
    this.config = context.node().config();
    this.authenticator = context.authenticator();
    this.validator = context.validator();
    this.shutdownDeadlineMillis = context.node().drainDeadlineMillis();
    this.view = context.node().view();
    this.ingest = context.ingest();
    this.registry = context.node().registry();
    this.accessLog = context.accessLog();
    this.addressSlots = context.addressSlots();
    this.addressBuckets = context.addressBuckets();
  }

  @Override
  public Future<?> start() {
    long toDedupTimeoutMs = config.http().requestTimeoutMs();
    RateLimits rateLimits = new RateLimits(registry, addressBuckets);
    // a refused client's body is read and dropped up to 4 bodies' worth, so one that writes it all
    // before reading (most SDKs) sees the answer; beyond that it meets a reset (see Refusal)
    Refusal refusal = new Refusal(vertx, 4L * config.http().maxBodyBytes(), config.http().bodyTimeoutMs());
    DebugHook debug = new DebugHook(operators);
    gate = new RequestGate(authenticator, rateLimits, config.http().maxRequestsInFlight(), addressSlots, refusal,
        context.delivery().retryAfterSeconds(), debug);
    OwnerTable owners = new OwnerTable(vertx, config.dedup().partitions(), view);
    if (ingest) {
      owners.start();
    }
    refusedWriter = context.refused().writer(vertx);
    IngestHandler ingestion = new IngestHandler(context,
        new DedupClient(vertx, config.dedup().partitions(), toDedupTimeoutMs, owners, context.hasher(),
            view::isMember),
        rateLimits, debug, new RefusedKeeping(context.refused(), refusedWriter));
    // replay needs the ingest path (dedup routing included): a node without the http role has none
    ReplayHandler replay = ingest ? new ReplayHandler(config, context.delivery().retryAfterSeconds(), ingestion,
        authenticator, operators,
        new BodyReader(ReplayHandler.maxBodyBytes(config), config.http().bodyTimeoutMs(), refusal, debug)) : null;
    ProbeHandler probes = new ProbeHandler(vertx, gate::draining, view, config.dedup().partitions(),
        operators.tokens());

    Router router = baseRouter(probes, new ClientAddress.Resolver(config.http()));
    if (ingest) {
      Cors cors = new Cors(authenticator);
      BodyReader bodyReader = new BodyReader(config.http().maxBodyBytes(), config.http().bodyTimeoutMs(), refusal, debug);
      // Each endpoint is one route holding the whole chain, mounted before the docs and the debugger:
      // vertx-web tries every route's path (a regex for a path parameter) in order until one serves, so
      // this keeps a request's route matching to the probes' string compares and at most one regex.
      // The route's path is also its label in vertx_http_server_* (the alerts select route=~"/v1/.*").
      router.post("/v1/batch").handler(cors::start).handler(gate).handler(bodyReader).handler(ingestion::batch);
      router.post("/v1/events").handler(cors::start).handler(gate).handler(bodyReader)
          .handler(ctx -> ingestion.single(ctx, null));
      router.post("/v1/events/:type").handler(cors::start).handler(gate).handler(bodyReader)
          .handler(ctx -> ingestion.single(ctx, ctx.pathParam("type")));
      router.optionsWithRegex(INGEST_PATHS).handler(cors::preflight);
    } else {
      router.postWithRegex(INGEST_PATHS).handler(ctx -> problemFor(ctx, Problem.of(Reason.NOT_AN_EDGE,
          "this node does not take events (its cluster.roles lack http): send them to an edge")));
    }
    ApiDocs.mount(router, validator);
    if (config.http().managementPort().isEmpty()) {
      mountMetrics(router);
      operators.mountRoutes(router);
      mountReplay(router, replay);
    }

    if (accessLog.limitsRejections()) {
      // refusals left out by the rate limit are counted in a line once their second is over
      reportTimer = vertx.setPeriodic(1000, id -> accessLog.reportSuppressed(false));
    }
    Future<?> listening = (ingest ? refusedWriter.start() : Future.<Void>succeededFuture()).compose(started -> listen(router, config.http().port(), config.http().proxyProtocol(), "http.port",
        "GAME_EVENTS_HTTP_PORT"))
        .onSuccess(listener -> server = listener);
    if (config.http().managementPort().isPresent()) {
      Router management = baseRouter(probes, null);
      mountMetrics(management);
      operators.mountRoutes(management);
      mountReplay(management, replay);
      // never with the PROXY protocol: the balancer's health checks and Kubernetes' probes send no PROXY header
      listening = listening.compose(done -> listen(management, config.http().managementPort().getAsInt(), false,
          "http.management_port", "GAME_EVENTS_MANAGEMENT_PORT").onSuccess(listener -> managementServer = listener));
    }
    return listening;
  }

  /**
   * What both listeners serve: request ids, the probes (a load balancer may use either port) and
   * problem bodies. The public one ({@code clients} set) also works out each request's client address, writes the
   * access log, and shows the probes' details only to an admin token; the management one, for operators, always does.
   */
  private Router baseRouter(ProbeHandler probes, ClientAddress.Resolver clients) {
    boolean isPublic = clients != null;
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    if (isPublic) {
      router.route().handler(clients::assign);
      router.route().handler(accessLog::start);
    }
    router.get("/health").handler(probes::health);
    router.get("/ready").handler(ctx -> probes.ready(ctx, !isPublic || probes.carriesAdminToken(ctx)));
    router.get("/health/sink").handler(ctx -> probes.sink(ctx, !isPublic || probes.carriesAdminToken(ctx)));
    router.errorHandler(400, ctx -> problemFor(ctx,
        Problem.of(Reason.MALFORMED_REQUEST, "the request could not be read")));
    router.errorHandler(404, ctx -> problemFor(ctx, Problem.of(Reason.NOT_FOUND,
        "no endpoint at " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> problemFor(ctx, Problem.of(Reason.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not supported on " + ctx.request().path())));
    router.errorHandler(500, ctx -> {
      log.error("unexpected failure on {} {} {}", ctx.request().method(), AccessLog.route(ctx.request().path()),
          keyValue("request_id", RequestIds.of(ctx)), ctx.failure());
      problemFor(ctx, Problem.of(Reason.INTERNAL, "an unexpected error occurred"));
    });
    return router;
  }

  /** The admin replay endpoint, beside the debugger: where operators' tools are served. */
  private static void mountReplay(Router router, ReplayHandler replay) {
    if (replay != null) {
      replay.mount(router);
    }
  }

  /** The node's meters in Prometheus format, when they go to a Prometheus registry (the service's always do). */
  private void mountMetrics(Router router) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
  }

  /**
   * @param proxyProtocol every connection must start with a PROXY protocol header (others are closed)
   * @param key      the config key that sets this port, named by the bind error
   * @param variable the environment variable that sets it
   */
  private Future<HttpServer> listen(Router router, int port, boolean proxyProtocol, String key, String variable) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(port)
        .setUseProxyProtocol(proxyProtocol)
        .setDecompressionSupported(false) // BodyReader decompresses, under the body limit
        .setIdleTimeout(120)
        // h2c lets a client switch protocol behind a proxy that inspects HTTP/1 only, past its path rules
        .setHttp2ClearTextEnabled(config.http().h2c());
    HttpServer listener = vertx.createHttpServer(options).invalidRequestHandler(HttpVerticle::invalidRequest);
    if (!config.http().h2c()) {
      // with h2c on, Vert.x sets an HTTP/1 connection up only once its first request is decoded: too late
      listener.connectionHandler(connection -> FramingDecoder.install(connection, options));
    }
    return listener.requestHandler(router).listen()
        .recover(failure -> Future.failedFuture(bindFailure(failure, config.http().host(), port, key, variable)));
  }

  /** "Address already in use" alone names neither the address nor how to pick another one. */
  static Throwable bindFailure(Throwable failure, String host, int port, String key, String variable) {
    // the JDK throws BindException; Netty's native transport an IOException with the same words
    boolean inUse = failure instanceof BindException
        || (failure.getMessage() != null && failure.getMessage().contains("Address already in use"));
    if (!inUse) {
      return failure;
    }
    return new ConfigException("cannot listen on " + host + ":" + port + ": "
        + failure.getMessage() + " (another process, or another game-events, holds that port); choose another"
        + " port with the config key " + key + " or the environment variable " + variable);
  }

  /**
   * What Netty could not parse (a malformed request line or header, conflicting Content-Lengths) or
   * {@link FramingDecoder} refused (a length that could be read two ways) never reaches the router:
   * it gets a problem document too, not Vert.x's bare 400, and then the connection is closed (Vert.x
   * closes it once this answer ends: the stream can't be trusted).
   */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = Problem.of(Reason.URI_TOO_LONG, "the request line is longer than the server reads");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.of(Reason.HEADERS_TOO_LARGE,
          "the request's headers are larger than the server reads");
    } else if (cause instanceof FramingDecoder.FramingException framing) {
      problem = Problem.of(Reason.MALFORMED_REQUEST,
          "the request's length could not be read one way only: " + framing.getMessage());
    } else {
      problem = Problem.of(Reason.MALFORMED_REQUEST, "the request is not valid HTTP/1.1: its request line or a header "
          + "could not be parsed, or it has conflicting Content-Length or Transfer-Encoding headers");
    }
    request.response().putHeader("Connection", "close");
    problem.send(request.response());
  }

  /**
   * Draining: new requests get 503 and /ready turns 503 at once; requests in flight are answered
   * (their events delivered) before the server closes, up to the shutdown timeout.
   */
  @Override
  public Future<?> stop() {
    gate.drain();
    Promise<Void> idle = Promise.promise();
    awaitIdle(idle, shutdownDeadlineMillis.getAsLong(), false);
    return idle.future().compose(done -> Future.join(close(server), close(managementServer)))
        // after the listeners: every refused record an answer said was kept is written by then
        .eventually(() -> refusedWriter == null ? Future.succeededFuture() : refusedWriter.close())
        .onComplete(closed -> {
          vertx.cancelTimer(reportTimer);
          accessLog.reportSuppressed(true);
        });
  }

  private void awaitIdle(Promise<Void> idle, long deadline, boolean unansweredRefused) {
    int requestsInFlight = gate.requestsInFlight();
    if (requestsInFlight == 0) {
      idle.complete();
    } else if (System.currentTimeMillis() < deadline) {
      vertx.setTimer(20, id -> awaitIdle(idle, deadline, unansweredRefused));
    } else if (!unansweredRefused) {
      log.warn("shutdown timeout reached with {} requests still in flight: answering them 503", requestsInFlight);
      gate.refuseUnanswered();
      // a moment for those answers to be written before the listener closes their connections
      vertx.setTimer(20, id -> awaitIdle(idle, deadline + ANSWER_GRACE_MS, true));
    } else {
      idle.complete();
    }
  }

  private static Future<Void> close(HttpServer listener) {
    return listener == null ? Future.succeededFuture() : listener.close();
  }

  private static void problemFor(RoutingContext ctx, Problem problem) {
    problem.send(ctx);
  }
}
