package io.gameevents.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** N lines a second per (reason, cause, credential), and every line left out counted once. */
class RejectionLimiterTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  @Test
  void atMostNASecondPerKeyAndTheNextLineCountsWhatWasLeftOut() {
    RejectionLimiter limiter = new RejectionLimiter(3, clock::get);
    long[] admitted = new long[10];
    for (int i = 0; i < 10; i++) {
      admitted[i] = limiter.admit("invalid-event", null, "dev");
    }
    assertThat(admitted).containsExactly(0, 0, 0, -1, -1, -1, -1, -1, -1, -1);
    assertThat(limiter.admit("invalid-event", null, "other")).as("another key has its own budget").isZero();
    assertThat(limiter.admit("forbidden-app", null, "dev")).as("another reason too").isZero();
    assertThat(limiter.admit("unauthorized", "token expired", null)).isZero();

    clock.addAndGet(999);
    assertThat(limiter.admit("invalid-event", null, "dev")).as("same second").isEqualTo(-1);
    clock.addAndGet(1);
    assertThat(limiter.admit("invalid-event", null, "dev")).as("next second: 8 left out").isEqualTo(8);
    assertThat(limiter.admit("invalid-event", null, "dev")).isZero();
  }

  @Test
  void countsNoLineHasReportedAreHandedOverOnceTheirSecondIsOver() {
    RejectionLimiter limiter = new RejectionLimiter(2, clock::get);
    for (int i = 0; i < 10_000; i++) {
      limiter.admit("unauthorized", "unknown API key", null);
    }
    assertThat(limiter.takeSuppressed(false)).as("the second is not over").isEmpty();
    clock.addAndGet(1000);
    List<RejectionLimiter.Suppressed> taken = limiter.takeSuppressed(false);
    assertThat(taken).containsExactly(new RejectionLimiter.Suppressed(
        new RejectionLimiter.Key("unauthorized", "unknown API key", null), 9_998));
    assertThat(limiter.takeSuppressed(false)).as("handed over once").isEmpty();
    assertThat(limiter.admit("unauthorized", "unknown API key", null)).as("already reported").isZero();
  }

  @Test
  void atShutdownEveryCountIsHandedOver() {
    RejectionLimiter limiter = new RejectionLimiter(1, clock::get);
    limiter.admit("invalid-event", null, "dev");
    limiter.admit("invalid-event", null, "dev");
    assertThat(limiter.takeSuppressed(true)).extracting(RejectionLimiter.Suppressed::count).containsExactly(1L);
  }

  @Test
  void zeroWritesNoRefusalLine() {
    RejectionLimiter limiter = new RejectionLimiter(0, clock::get);
    assertThat(limiter.admit("invalid-event", null, "dev")).isEqualTo(-1);
    assertThat(limiter.takeSuppressed(true)).isEmpty();
  }

  @Test
  void keysAreBoundedAndIdleOnesForgotten() {
    RejectionLimiter limiter = new RejectionLimiter(1, clock::get);
    for (int i = 0; i < RejectionLimiter.MAX_KEYS + 500; i++) {
      limiter.admit("forbidden-app", null, "jwt:subject-" + i);
    }
    assertThat(limiter.keys()).isEqualTo(RejectionLimiter.MAX_KEYS + 1);
    assertThat(limiter.admit("forbidden-app", null, "jwt:yet-another")).as("shares the overflow key's budget")
        .isEqualTo(-1);
    clock.addAndGet(61_000);
    assertThat(limiter.takeSuppressed(false)).singleElement().satisfies(left -> {
      assertThat(left.key().keyId()).isEqualTo(RejectionLimiter.OTHER_KEYS);
      assertThat(left.count()).isEqualTo(500);
    });
    limiter.takeSuppressed(false);
    assertThat(limiter.keys()).isZero();
  }
}
