package io.gameevents.http;

import io.gameevents.http.auth.Principal;
import io.gameevents.config.LogConfig;
import io.gameevents.logging.LogSetup;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import static net.logstash.logback.argument.StructuredArguments.keyValue;
import static net.logstash.logback.argument.StructuredArguments.value;

/**
 * One INFO line per request on the {@code game-events.access} logger, written when the response ends:
 * {@code method}, {@code path} (the route, never the raw path: a path segment or query string could carry
 * anything), {@code status}, {@code request_id} (as in X-Request-Id), {@code client} (the client's address, as
 * {@link ClientAddress} works it out behind trusted proxies), {@code key_id}, {@code app_id},
 * {@code events}, {@code reason} and {@code cause} of a refusal, {@code suppressed} on refusals, and
 * {@code duration_ms}. Answered requests (below 400) are sampled at {@code log.access.sample_rate};
 * refused ones (400 and up) pass {@link RejectionLimiter} instead, so a flood of them cannot fill the disk.
 *
 * <p>The fields are structured arguments: the JSON encoder writes each as a field, and the message stays
 * "POST /v1/batch 200"; in the text layout every field shows as key=value in the message. The work on the
 * event loop is one logging event handed to the access log's writer thread ({@link LogSetup}), which formats,
 * encodes and writes it: nothing is built for a line that is left out. One instance per node, shared by its
 * HTTP instances.
 */
public final class AccessLog {

  static final String LOGGER = LogSetup.ACCESS_LOGGER;
  /** No response was sent: the client went away first (the status nginx uses for it). */
  static final int CLIENT_CLOSED = 499;

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_ARGUMENTS = 12;
  /** "{} {} ... {}" with n placeholders: the text layout's message. */
  private static final String[] PATTERNS = new String[MAX_ARGUMENTS + 1];

  static {
    for (int n = 0; n <= MAX_ARGUMENTS; n++) {
      PATTERNS[n] = String.join(" ", java.util.Collections.nCopies(n, "{}"));
    }
  }

  private final boolean enabled;
  private final double sampleRate;
  private final boolean text;
  private final RejectionLimiter rejections;

  public AccessLog(LogConfig config) {
    this(config, System::currentTimeMillis);
  }

  AccessLog(LogConfig config, LongSupplier clockMillis) {
    this.enabled = config.accessEnabled();
    this.sampleRate = config.accessSampleRate();
    this.text = config.format() == LogConfig.Format.TEXT;
    this.rejections = new RejectionLimiter(config.rejectionsPerSecond(), clockMillis);
  }

  /** The second handler of every route, after the request id. */
  void start(RoutingContext ctx) {
    RequestLog request = RequestLog.start(ctx);
    if (enabled) {
      ctx.addEndHandler(ended -> finish(ctx, request));
    }
    ctx.next();
  }

  private void finish(RoutingContext ctx, RequestLog request) {
    if (!log.isInfoEnabled()) {
      return;
    }
    HttpServerResponse response = ctx.response();
    // ended, not the end handler's result: a request upgraded to HTTP/2 (h2c) reports its HTTP/1 connection
    // closed after its answer went out on the new one
    int status = response.ended() ? response.getStatusCode() : CLIENT_CLOSED;
    String reason = status == CLIENT_CLOSED ? "client-closed" : request.reason();
    if (reason == null && status >= 400) {
      reason = "status-" + status; // an answer that did not go through Problem (none should)
    }
    Principal principal = RequestGate.principal(ctx);
    String keyId = principal == null ? null : principal.credentialId();
    long suppressed = 0;
    if (status >= 400) {
      suppressed = rejections.admit(reason, request.cause(), keyId);
      if (suppressed < 0) {
        return;
      }
    } else if (sampleRate < 1.0 && ThreadLocalRandom.current().nextDouble() >= sampleRate) {
      return;
    }
    List<Object> fields = new ArrayList<>(MAX_ARGUMENTS);
    fields.add(value("method", ctx.request().method().name()));
    fields.add(value("path", route(ctx.request().path())));
    fields.add(value("status", status));
    fields.add(keyValue("request_id", RequestIds.of(ctx)));
    ClientAddress client = ClientAddress.of(ctx);
    add(fields, "client", client == null ? null : client.address());
    add(fields, "key_id", keyId);
    add(fields, "app_id", request.appId());
    if (request.events() >= 0) {
      fields.add(keyValue("events", request.events()));
    }
    add(fields, "reason", reason);
    add(fields, "cause", request.cause());
    if (status >= 400) {
      fields.add(keyValue("suppressed", suppressed));
    }
    fields.add(keyValue("duration_ms", (System.nanoTime() - request.startNanos) / 1_000_000));
    log.info(text ? PATTERNS[fields.size()] : "{} {} {}", fields.toArray());
  }

  /** Logs the refusals left out that no line has reported yet: each timer tick, and all of them at shutdown. */
  void reportSuppressed(boolean all) {
    if (!enabled || !log.isInfoEnabled()) {
      return;
    }
    for (RejectionLimiter.Suppressed left : rejections.takeSuppressed(all)) {
      List<Object> fields = new ArrayList<>(4);
      fields.add(value("suppressed", left.count()));
      fields.add(keyValue("reason", left.key().reason()));
      add(fields, "cause", left.key().cause());
      add(fields, "key_id", left.key().keyId());
      log.info(text ? "refused requests not logged: " + PATTERNS[fields.size()] : "{} refused requests not logged",
          fields.toArray());
    }
  }

  boolean limitsRejections() {
    return enabled;
  }

  private static void add(List<Object> fields, String name, String value) {
    if (value != null) {
      fields.add(keyValue(name, value));
    }
  }

  /** The route a path took, from a fixed list: the raw path is the client's text. */
  static String route(String path) {
    if (path == null) {
      return "other";
    }
    return switch (path) {
      case "/v1/batch", "/v1/events", "/health", "/ready", "/health/sink", "/metrics", "/openapi.yaml", "/docs",
           "/debugger", "/debugger/events" -> path;
      default -> path.startsWith("/v1/events/") ? "/v1/events/{type}" : path.startsWith("/docs/") ? "/docs/*" : "other";
    };
  }
}
