package io.gameevents.http;

import io.gameevents.config.AppConfig;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.validation.EventValidator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;

/**
 * The HTTP stage: routes, request pre-checks, and graceful draining. The work per request lives
 * in {@link IngestHandler}; probes and docs in {@link ProbeHandler} and {@link ApiDocs}.
 */
public class HttpVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  private static final Set<String> ENCODINGS = Set.of("identity", "gzip", "x-gzip", "deflate");

  private final AppConfig config;
  private final Authenticator authenticator;
  private final EventValidator validator;

  private HttpServer server;
  private boolean draining;
  private int requestsInFlight;

  public HttpVerticle(AppConfig config, Authenticator authenticator, EventValidator validator) {
    this.config = config;
    this.authenticator = authenticator;
    this.validator = validator;
  }

  @Override
  public Future<?> start() {
    long toDedupTimeoutMs = config.http().requestTimeoutMs();
    IngestHandler ingest = new IngestHandler(config, authenticator, validator,
        new Forwarder(vertx.eventBus(), config.dedup().instances(), toDedupTimeoutMs));
    ProbeHandler probes = new ProbeHandler(vertx, () -> draining);

    Router router = Router.router(vertx);
    router.get("/health").handler(probes::health);
    router.get("/ready").handler(probes::ready);
    ApiDocs.mount(router);

    router.post("/v1/*").handler(this::preCheck);
    router.post("/v1/*").handler(new BodyReader(config.http().maxBodyBytes()));
    router.post("/v1/batch").handler(ingest::batch);
    router.post("/v1/events").handler(ctx -> ingest.single(ctx, null));
    router.post("/v1/events/:type").handler(ctx -> ingest.single(ctx, ctx.pathParam("type")));

    router.errorHandler(400, ctx -> problemFor(ctx, Problem.badRequest("the request could not be read")));
    router.errorHandler(404, ctx -> problemFor(ctx, Problem.of(404, "not-found", "Not found",
        "no endpoint at " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> problemFor(ctx, Problem.of(405, "method-not-allowed", "Method not allowed",
        ctx.request().method() + " is not supported on " + ctx.request().path())));
    router.errorHandler(500, ctx -> {
      log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      problemFor(ctx, Problem.of(500, "internal", "Internal error", "an unexpected error occurred"));
    });

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setDecompressionSupported(false) // BodyReader decompresses, under the body limit
        .setIdleTimeout(120);
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .onSuccess(listening -> server = listening);
  }

  /**
   * Draining: new requests get 503 and /ready turns 503 at once; requests in flight are answered
   * (their events delivered) before the server closes, up to the shutdown timeout.
   */
  @Override
  public Future<?> stop() {
    draining = true;
    Promise<Void> idle = Promise.promise();
    long deadline = System.currentTimeMillis() + config.shutdownTimeoutMs();
    awaitIdle(idle, deadline);
    return idle.future().compose(done -> server == null ? Future.succeededFuture() : server.close());
  }

  private void awaitIdle(Promise<Void> idle, long deadline) {
    if (requestsInFlight == 0 || System.currentTimeMillis() >= deadline) {
      if (requestsInFlight > 0) {
        log.warn("shutdown timeout reached with {} requests still in flight", requestsInFlight);
      }
      idle.complete();
      return;
    }
    vertx.setTimer(20, id -> awaitIdle(idle, deadline));
  }

  /** Checks that need no body: draining, Content-Type, Content-Encoding. */
  private void preCheck(RoutingContext ctx) {
    if (draining) {
      ctx.response().putHeader("Connection", "close");
      Problem.unavailable("The service is shutting down.", config.delivery().retryAfterSeconds()).send(ctx.response());
      return;
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding != null && !ENCODINGS.contains(encoding.trim().toLowerCase(Locale.ROOT))) {
      Problem.unsupportedMediaType("Content-Encoding \"" + encoding + "\" is not supported; use gzip or none")
          .send(ctx.response());
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (!isJson(contentType)) {
      Problem.unsupportedMediaType(contentType == null
          ? "the request has no Content-Type; send Content-Type: application/json"
          : "Content-Type \"" + contentType + "\" is not supported; send application/json").send(ctx.response());
      return;
    }
    requestsInFlight++;
    ctx.addEndHandler(ended -> requestsInFlight--);
    ctx.next();
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].trim().equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
        return false;
      }
    }
    return true;
  }

  private static void problemFor(RoutingContext ctx, Problem problem) {
    problem.send(ctx.response());
  }
}
