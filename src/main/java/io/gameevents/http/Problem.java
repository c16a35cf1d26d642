package io.gameevents.http;

import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). Every error this service
 * sends is one of these; {@code type} identifies the kind of problem for programs, {@code title}
 * and {@code detail} explain it to people. Status, type and title are the {@link Reason}'s, so each
 * is decided in that one table; only the detail and extra members vary with the request.
 */
public final class Problem {

  public static final String CONTENT_TYPE = "application/problem+json";

  private final JsonObject json = new JsonObject();
  private final Reason reason;
  /** For the access log: a fixed word or phrase, never text from the request (the detail may echo it). */
  private String cause;
  private String retryAfterSeconds;
  private String wwwAuthenticate;

  private Problem(Reason reason, String detail) {
    this.reason = reason;
    String promise = reason.promise();
    json.put("type", reason.typeUri()).put("title", reason.title()).put("status", reason.status())
        .put("detail", promise == null ? detail : detail + " " + promise);
  }

  /** Status, type and title come from {@code reason} alone; {@code detail} says what about this request. */
  public static Problem of(Reason reason, String detail) {
    return new Problem(reason, detail);
  }

  /** 401 with the RFC 6750 challenge, e.g. {@code Bearer error="invalid_token"}. */
  public static Problem unauthorized(String detail, String wwwAuthenticate) {
    Problem problem = of(Reason.UNAUTHORIZED, detail);
    problem.wwwAuthenticate = wwwAuthenticate;
    problem.cause = detail; // AuthenticationException's fixed reasons: they never quote the token
    return problem;
  }

  /** 503 for events the pipeline did not store, saying why in the outcome's words. */
  static Problem notStored(Outcome outcome, long retryAfterSeconds) {
    return of(Reason.UNAVAILABLE, notStoredDetail(outcome)).retryAfter(retryAfterSeconds)
        .cause(outcome.name().toLowerCase(Locale.ROOT));
  }

  /** Why an event was not stored, in words for the client (the answer's detail) and the debugger. */
  static String notStoredDetail(Outcome outcome) {
    return switch (outcome) {
      case OVERLOADED -> "The service is at capacity.";
      case SHUTTING_DOWN -> "The service is shutting down.";
      case SPOOL_FULL -> "This node's disk buffer is full because the event store is not keeping up.";
      case SINK_DOWN -> "The event store is failing; the service does not wait for it until it recovers.";
      default -> "The event store did not confirm the event in time.";
    };
  }

  /** Sends {@code Retry-After} (429, 503): how long until the same request may succeed. */
  public Problem retryAfter(long seconds) {
    this.retryAfterSeconds = Long.toString(seconds);
    return this;
  }

  public Problem errors(JsonArray errors) {
    json.put("errors", errors);
    return this;
  }

  /** Why, in a fixed word or phrase the access log may show (e.g. {@code sink_down}). */
  public Problem cause(String cause) {
    this.cause = cause;
    return this;
  }

  public Problem with(String key, Object value) {
    json.put(key, value);
    return this;
  }

  public Reason reason() {
    return reason;
  }

  public int status() {
    return reason.status();
  }

  public JsonObject json() {
    return json;
  }

  /** The short type ({@code invalid-event}), the access log's {@code reason}. */
  public String type() {
    return reason.type();
  }

  public String cause() {
    return cause;
  }

  /** Answers the request and tells its access log line why; completes once the answer is written. */
  public Future<Void> send(RoutingContext ctx) {
    RequestLog.of(ctx).refused(this);
    return send(ctx.response());
  }

  public Future<Void> send(HttpServerResponse response) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    response.setStatusCode(reason.status()).putHeader("Content-Type", CONTENT_TYPE);
    String requestId = response.headers().get(RequestIds.HEADER);
    if (requestId != null) {
      json.put("request_id", requestId); // the id a developer quotes, as in the X-Request-Id header
    }
    if (retryAfterSeconds != null) {
      response.putHeader("Retry-After", retryAfterSeconds);
    }
    if (wwwAuthenticate != null) {
      response.putHeader("WWW-Authenticate", wwwAuthenticate);
    }
    return response.end(body());
  }

  /** The answer's bytes, the request id (when it was put) last. */
  Buffer body() {
    return json.toBuffer();
  }
}
