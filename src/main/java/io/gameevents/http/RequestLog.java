package io.gameevents.http;

import io.vertx.ext.web.RoutingContext;

/**
 * What one request's access log line says beyond the response itself, filled in by the handlers as they
 * learn it (the app, how many events, why it was refused) and read once when the response ends. Only ids
 * and fixed words go in here, never request text: see {@link #app}. Confined to the request's event loop.
 */
final class RequestLog {

  private static final String KEY = "game-events.request-log";

  final long startNanos;
  private String appId;
  private int events = -1;
  private String reason;
  private String cause;

  private RequestLog(long startNanos) {
    this.startNanos = startNanos;
  }

  static RequestLog start(RoutingContext ctx) {
    RequestLog log = new RequestLog(System.nanoTime());
    ctx.put(KEY, log);
    return log;
  }

  /** Never null: a request that skipped {@link #start} (none should) gets a log nobody reads. */
  static RequestLog of(RoutingContext ctx) {
    RequestLog log = ctx.get(KEY);
    return log != null ? log : new RequestLog(System.nanoTime());
  }

  /**
   * The request's app, once the credential names it (its configured list, not {@code "*"}) or an event of it
   * validated: an app_id that is only the client's text could be anything, a line break forging a log line or
   * an API key, so a refused request names the credential, not the app. The first such app stands for a batch.
   */
  void app(String appId) {
    if (this.appId == null) {
      this.appId = appId;
    }
  }

  void events(int events) {
    this.events = events;
  }

  void refused(Problem problem) {
    reason = problem.type();
    cause = problem.cause();
  }

  String appId() {
    return appId;
  }

  /** -1 before the body was decoded into events. */
  int events() {
    return events;
  }

  /** The problem type of a refused request ({@code invalid-event}), else null. */
  String reason() {
    return reason;
  }

  String cause() {
    return cause;
  }
}
