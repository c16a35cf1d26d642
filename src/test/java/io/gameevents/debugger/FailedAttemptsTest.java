package io.gameevents.debugger;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-address bucket of wrong admin tokens, on a clock the test moves. */
class FailedAttemptsTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(123 * SECOND);
  private final FailedAttempts attempts = new FailedAttempts(now::get);

  @Test
  void aBurstOfFailuresThenOneMorePerRefillInterval() {
    for (int i = 0; i < FailedAttempts.BURST; i++) {
      assertThat(attempts.retryAfterNanos("10.0.0.1")).as("failure %d", i).isZero();
      attempts.failed("10.0.0.1");
    }
    assertThat(attempts.retryAfterNanos("10.0.0.1")).isEqualTo(FailedAttempts.REFILL_SECONDS * SECOND);
    assertThat(attempts.retryAfterNanos("10.0.0.2")).as("another address").isZero();

    now.addAndGet(FailedAttempts.REFILL_SECONDS * SECOND - 1);
    assertThat(attempts.retryAfterNanos("10.0.0.1")).isEqualTo(1);
    now.addAndGet(1);
    assertThat(attempts.retryAfterNanos("10.0.0.1")).isZero();
    attempts.failed("10.0.0.1");
    assertThat(attempts.retryAfterNanos("10.0.0.1")).isEqualTo(FailedAttempts.REFILL_SECONDS * SECOND);
  }

  @Test
  void anAddressQuietForLongStartsWithAFullBucket() {
    for (int i = 0; i < FailedAttempts.BURST; i++) {
      attempts.failed("10.0.0.1");
    }
    now.addAndGet(3600 * SECOND);
    for (int i = 0; i < FailedAttempts.BURST; i++) {
      assertThat(attempts.retryAfterNanos("10.0.0.1")).isZero();
      attempts.failed("10.0.0.1");
    }
    assertThat(attempts.retryAfterNanos("10.0.0.1")).isPositive();
  }

  @Test
  void theMapIsBounded() {
    for (int i = 0; i < FailedAttempts.MAX_ADDRESSES + 500; i++) {
      attempts.failed("address-" + i);
    }
    assertThat(attempts.size()).isEqualTo(FailedAttempts.MAX_ADDRESSES);
  }
}
