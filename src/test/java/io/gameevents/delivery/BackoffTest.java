package io.gameevents.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

  @Test
  void ceilingDoublesUpToTheMaximum() {
    Backoff backoff = new Backoff(100, 5_000);
    assertThat(backoff.ceilingMs(0)).isEqualTo(100);
    assertThat(backoff.ceilingMs(1)).isEqualTo(200);
    assertThat(backoff.ceilingMs(5)).isEqualTo(3_200);
    assertThat(backoff.ceilingMs(6)).isEqualTo(5_000);
    assertThat(backoff.ceilingMs(1_000)).isEqualTo(5_000); // no overflow
  }

  @Test
  void delayIsFullJitterBelowTheCeiling() {
    Backoff backoff = new Backoff(100, 5_000);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long delay = backoff.delayMs(3);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    assertThat(min).isBetween(0L, 40L); // spread from ~0 ...
    assertThat(max).isBetween(760L, 800L); // ... up to the ceiling of 800
  }
}
