package io.gameevents.sdk;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry and how long to wait: capped exponential backoff with full jitter
 * (a uniform wait in [0, min(maxBackoff, initialBackoff * 2^(retry-1))]), never shorter than
 * the server's Retry-After.
 */
final class RetryPolicy {

  private final int maxAttempts;
  private final long maxRetryMillis;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;

  RetryPolicy(GameEventClientConfig config) {
    this.maxAttempts = config.getMaxAttempts();
    this.maxRetryMillis = config.getMaxRetryDuration().toMillis();
    this.initialBackoffMillis = config.getInitialBackoff().toMillis();
    this.maxBackoffMillis = config.getMaxBackoff().toMillis();
  }

  /** Connection errors and timeouts are always worth another try; so are these statuses. */
  static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  long maxRetryMillis() {
    return maxRetryMillis;
  }

  /**
   * The wait before retry number {@code retry} (1 = the second attempt).
   *
   * @param retryAfterMillis the server's Retry-After in milliseconds, or -1 when it sent none
   */
  long delayMillis(int retry, long retryAfterMillis) {
    int doublings = Math.min(retry - 1, 30);
    long cap = Math.min(maxBackoffMillis, initialBackoffMillis << doublings);
    long jittered = ThreadLocalRandom.current().nextLong(cap + 1);
    return Math.max(jittered, retryAfterMillis);
  }

  /**
   * Parses Retry-After: delta-seconds or an HTTP date (RFC 9110).
   *
   * @return the wait in milliseconds (0 for a date in the past), or -1 when absent or unreadable
   */
  static long parseRetryAfterMillis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Math.multiplyExact(Long.parseLong(value), 1000L);
      } catch (ArithmeticException | NumberFormatException tooLarge) {
        return Long.MAX_VALUE;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, Duration.between(now, at).toMillis());
    } catch (DateTimeParseException unreadable) {
      return -1;
    }
  }
}
