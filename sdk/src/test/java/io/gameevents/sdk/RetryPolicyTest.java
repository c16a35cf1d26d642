package io.gameevents.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");

  @Test
  void retryAfterInSecondsOrAsAnHttpDate() {
    assertThat(RetryPolicy.parseRetryAfterMillis("3", NOW)).isEqualTo(3000);
    assertThat(RetryPolicy.parseRetryAfterMillis(" 0 ", NOW)).isZero();
    assertThat(RetryPolicy.parseRetryAfterMillis("Tue, 24 Nov 2026 10:15:35 GMT", NOW)).isEqualTo(5000);
    assertThat(RetryPolicy.parseRetryAfterMillis("Tue, 24 Nov 2026 10:15:00 GMT", NOW)).isZero();
    assertThat(RetryPolicy.parseRetryAfterMillis(null, NOW)).isEqualTo(-1);
    assertThat(RetryPolicy.parseRetryAfterMillis("soon", NOW)).isEqualTo(-1);
    assertThat(RetryPolicy.parseRetryAfterMillis("999999999999", NOW)).isEqualTo(999_999_999_999_000L);
    assertThat(RetryPolicy.parseRetryAfterMillis("99999999999999999999", NOW)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void backoffIsFullJitterUnderADoublingCapAndNeverBelowRetryAfter() {
    RetryPolicy policy = new RetryPolicy(new GameEventClientConfig("http://localhost", "k")
        .setInitialBackoff(Duration.ofMillis(100)).setMaxBackoff(Duration.ofMillis(1000)));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.delayMillis(1, -1)).isBetween(0L, 100L);
      assertThat(policy.delayMillis(3, -1)).isBetween(0L, 400L);
      assertThat(policy.delayMillis(40, -1)).isBetween(0L, 1000L);
      assertThat(policy.delayMillis(1, 2000)).isEqualTo(2000L);
    }
  }

  @Test
  void whichStatusesAreRetried() {
    assertThat(RetryPolicy.isRetryableStatus(408)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(500)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
    for (int status : new int[] {200, 400, 401, 403, 404, 413, 415}) {
      assertThat(RetryPolicy.isRetryableStatus(status)).as("status %d", status).isFalse();
    }
  }
}
