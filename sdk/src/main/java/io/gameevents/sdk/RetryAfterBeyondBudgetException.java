package io.gameevents.sdk;

/**
 * The server asked to retry later (Retry-After) than the retry budget ({@code maxRetryDuration}) allows, so the
 * client gave up at once instead of waiting: the event (or batch) was not stored.
 */
public final class RetryAfterBeyondBudgetException extends RuntimeException {

  private final long retryAfterMillis;
  private final long remainingMillis;

  RetryAfterBeyondBudgetException(long retryAfterMillis, long remainingMillis) {
    super("the server asked to retry after " + describe(retryAfterMillis) + ", beyond the "
        + Math.max(0, remainingMillis) + " ms left of the retry budget: gave up without waiting", null, false, false);
    this.retryAfterMillis = retryAfterMillis;
    this.remainingMillis = Math.max(0, remainingMillis);
  }

  /** The server's Retry-After in milliseconds ({@link Long#MAX_VALUE} when it does not fit a long). */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** What was left of the retry budget when the answer came. */
  public long remainingMillis() {
    return remainingMillis;
  }

  private static String describe(long millis) {
    return millis == Long.MAX_VALUE ? "longer than " + Long.MAX_VALUE + " ms" : millis + " ms";
  }
}
