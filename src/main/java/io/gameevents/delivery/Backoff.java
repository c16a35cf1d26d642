package io.gameevents.delivery;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry number {@code n} (0-based) sleep a random time
 * in {@code [0, min(max, base * 2^n)]}. Full jitter spreads the retries of many concurrent writes
 * that failed together, so a throttled stream is not hit again by a synchronized wave.
 */
public final class Backoff {

  private final long baseMs;
  private final long maxMs;

  public Backoff(long baseMs, long maxMs) {
    this.baseMs = Math.max(1, baseMs);
    this.maxMs = Math.max(1, maxMs);
  }

  public long delayMs(int retry) {
    return ThreadLocalRandom.current().nextLong(ceilingMs(retry) + 1);
  }

  public long ceilingMs(int retry) {
    int exponent = Math.min(retry, 40); // base <= 60,000 < 2^16: no overflow below 2^56
    return Math.min(maxMs, baseMs << exponent);
  }
}
