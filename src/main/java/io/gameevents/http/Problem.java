package io.gameevents.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). Every error this service
 * sends is one of these; {@code type} identifies the kind of problem for programs, {@code title}
 * and {@code detail} explain it to people.
 */
public final class Problem {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_PREFIX = "urn:game-events:problem:";

  private final JsonObject json = new JsonObject();
  private final int status;
  private final String type;
  /** For the access log: a fixed word or phrase, never text from the request (the detail may echo it). */
  private String cause;
  private String retryAfterSeconds;
  private String wwwAuthenticate;

  private Problem(int status, String type, String title, String detail) {
    this.status = status;
    this.type = type;
    json.put("type", TYPE_PREFIX + type).put("title", title).put("status", status).put("detail", detail);
  }

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail);
  }

  public static Problem badRequest(String detail) {
    return of(400, "malformed-request", "Malformed request", detail);
  }

  /** 401 with the RFC 6750 challenge, e.g. {@code Bearer error="invalid_token"}. */
  public static Problem unauthorized(String detail, String wwwAuthenticate) {
    Problem problem = of(401, "unauthorized", "Missing or invalid credential", detail);
    problem.wwwAuthenticate = wwwAuthenticate;
    problem.cause = detail; // AuthenticationException's fixed reasons: they never quote the token
    return problem;
  }

  public static Problem forbidden(String appId) {
    return of(403, "forbidden-app", "Credential not allowed for this app",
        "this credential may not write events for app_id \"" + appId + "\"");
  }

  public static Problem tooLarge(String detail) {
    return of(413, "payload-too-large", "Payload too large", detail);
  }

  public static Problem unsupportedMediaType(String detail) {
    return of(415, "unsupported-media-type", "Unsupported media type", detail);
  }

  /** 429: this client address holds as many requests in progress as it may; nothing was read. */
  public static Problem tooManyAtOnce(String detail, long retryAfterSeconds) {
    Problem problem = of(429, "too-many-concurrent-requests", "Too many requests at once",
        detail + " Nothing was stored; retrying the request once an earlier one is answered is safe.");
    problem.retryAfterSeconds = Long.toString(retryAfterSeconds);
    return problem;
  }

  /** 429: too many wrong credentials from this client address; nothing was checked. */
  public static Problem tooManyFailedAttempts(String detail, long retryAfterSeconds) {
    Problem problem = of(429, "too-many-failed-attempts", "Too many failed attempts", detail);
    problem.retryAfterSeconds = Long.toString(retryAfterSeconds);
    return problem.cause("too_many_failed_attempts");
  }

  /** 408: the body did not arrive within {@code http.body_timeout_ms}; nothing was stored. */
  public static Problem bodyTimeout(long timeoutMs) {
    return of(408, "body-timeout", "Request body too slow", "the request body did not arrive within " + timeoutMs
        + " ms of the request being admitted; nothing was stored. Send the body at once, or smaller batches on a slow "
        + "link; the connection is closed").cause("body_timeout");
  }

  /** 429: over the credential's rate limit; nothing of the request was stored. */
  public static Problem tooManyRequests(String detail, long retryAfterSeconds) {
    Problem problem = of(429, "rate-limited", "Rate limit exceeded",
        detail + " Nothing was stored; retrying the whole request then is safe.");
    problem.retryAfterSeconds = Long.toString(retryAfterSeconds);
    return problem;
  }

  public static Problem unavailable(String detail, long retryAfterSeconds) {
    Problem problem = of(503, "unavailable", "Service temporarily unavailable",
        detail + " The event was not stored; retrying it is safe.");
    problem.retryAfterSeconds = Long.toString(retryAfterSeconds);
    return problem;
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

  public int status() {
    return status;
  }

  public JsonObject json() {
    return json;
  }

  /** The short type ({@code invalid-event}), the access log's {@code reason}. */
  public String type() {
    return type;
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
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE);
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
    return response.end(json.toBuffer());
  }
}
