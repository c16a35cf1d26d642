package io.gameevents.delivery;

/**
 * How the {@link RetryingWriter} treats one sink.
 *
 * @param deadlineMs          how long one write may take in all, retries included, before its
 *                            unconfirmed records are reported not delivered; 0 for a single attempt,
 *                            {@link #UNTIL_CONFIRMED} for no deadline (the spool forwarder, which has
 *                            no client waiting)
 * @param attemptTimeoutMs    the first timeout of one attempt (e.g. Firehose's call_timeout_ms)
 * @param maxAttemptTimeoutMs the timeout grows up to this while attempts time out: a slow destination
 *                            given too little time stores the records again on every retry
 * @param backoffBaseMs       full-jitter backoff between attempts
 * @param backoffMaxMs        its ceiling; also the pause after a REFUSED attempt without a deadline
 */
public record RetryPolicy(long deadlineMs, long attemptTimeoutMs, long maxAttemptTimeoutMs, long backoffBaseMs,
                          long backoffMaxMs) {

  public static final long UNTIL_CONFIRMED = Long.MAX_VALUE;

  /** The file sink: one attempt, no timeout of its own (an fsync either returns or fails). */
  public static final RetryPolicy ONE_ATTEMPT = new RetryPolicy(0, 24L * 3600 * 1000, 24L * 3600 * 1000, 1, 1);

  public RetryPolicy {
    maxAttemptTimeoutMs = Math.max(maxAttemptTimeoutMs, attemptTimeoutMs);
  }

  /** The same sink without a deadline: what the forwarder uses for the spool. */
  public RetryPolicy untilConfirmed() {
    return new RetryPolicy(UNTIL_CONFIRMED, attemptTimeoutMs, maxAttemptTimeoutMs, backoffBaseMs, backoffMaxMs);
  }

  public boolean hasDeadline() {
    return deadlineMs != UNTIL_CONFIRMED;
  }
}
