package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

/**
 * A batch was not delivered, and its events stay queued (in memory and on disk) to be sent again later:
 * either the retry budget ran out (connection errors, timeouts, 408, 429, 5xx, or a Retry-After beyond the
 * budget), or the server refused the whole batch with a status that says nothing about the events themselves
 * (401, 403, 415, ...: a revoked or rotated key, a wrong URL), which {@link #refused()} tells apart.
 */
public final class BatchDeliveryException extends RuntimeException {

  private final int httpStatus;
  private final long retryAfterMillis;
  private final boolean refused;
  private final transient Problem problem;
  private final String requestId;

  BatchDeliveryException(int events, RetryingSender.Result last) {
    this(events, last, last != null && last.response() != null && !last.retryable(), problemOf(last));
  }

  private BatchDeliveryException(int events, RetryingSender.Result last, boolean refused, Problem problem) {
    super(message(events, last, refused, problem), last == null ? null : last.failure());
    this.httpStatus = last == null ? 0 : last.status();
    this.retryAfterMillis = last == null ? -1 : last.retryAfterMillis();
    this.refused = refused;
    this.problem = problem;
    this.requestId = last == null ? null : last.requestId();
  }

  /** The X-Request-Id of the batch's requests (the same on every attempt), null if none was sent: quote it. */
  public String requestId() {
    return requestId;
  }

  /** The last answer's status, 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The last answer's Retry-After in milliseconds (e.g. of a 429 or 503), -1 when it had none; the client waits
   * at least that long before it sends queued batches again by itself.
   */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** True when the server refused the whole batch (e.g. 401, 403, 415) rather than failing to answer it. */
  public boolean refused() {
    return refused;
  }

  /** The problem details of the last answer, or null when it had none. */
  public Problem problem() {
    return problem;
  }

  private static String message(int events, RetryingSender.Result last, boolean refused, Problem problem) {
    String id = last == null ? "" : " [request id " + last.requestId() + "]";
    if (refused) {
      return "a batch of " + events + " events was refused by the server with HTTP " + last.status()
          + describe(problem) + "; the events stay queued" + id;
    }
    return "a batch of " + events + " events was not delivered after " + (last == null ? 0 : last.attempts())
        + " attempts (last: " + describeLast(last, problem) + ")" + id;
  }

  private static String describeLast(RetryingSender.Result last, Problem problem) {
    if (last == null) {
      return "none";
    }
    if (last.response() == null) {
      return String.valueOf(last.failure());
    }
    String why = last.failure() != null ? "; " + last.failure().getMessage() : "";
    return "HTTP " + last.status() + describe(problem) + why;
  }

  /** " (title: detail)" from the problem details, "" without them. */
  private static String describe(Problem problem) {
    if (problem == null || (problem.title() == null && problem.detail() == null)) {
      return "";
    }
    if (problem.detail() == null) {
      return " (" + problem.title() + ")";
    }
    return " (" + (problem.title() == null ? "" : problem.title() + ": ") + problem.detail() + ")";
  }

  private static Problem problemOf(RetryingSender.Result last) {
    if (last == null || last.response() == null || last.status() < 400) {
      return null;
    }
    JsonObject json = GameEventClient.parseObject(last.body());
    return json == null ? null : Problem.from(json, last.status());
  }
}
