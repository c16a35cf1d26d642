package io.gameevents.sdk;

/**
 * A batch could not be delivered within the retry budget (connection errors, timeouts, 408, 429 or 5xx).
 * Its events stay queued and are sent again later.
 */
public final class BatchDeliveryException extends RuntimeException {

  private final int httpStatus;

  BatchDeliveryException(int events, RetryingSender.Result last) {
    super("a batch of " + events + " events was not delivered after " + (last == null ? 0 : last.attempts())
        + " attempts (last: " + describe(last) + ")", last == null ? null : last.failure());
    this.httpStatus = last == null ? 0 : last.status();
  }

  /** The last answer's status, 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  private static String describe(RetryingSender.Result last) {
    if (last == null) {
      return "none";
    }
    return last.response() != null ? "HTTP " + last.status() : String.valueOf(last.failure());
  }
}
