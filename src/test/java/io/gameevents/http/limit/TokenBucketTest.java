package io.gameevents.http.limit;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket on a clock the test moves (nanos; any origin, negative included, as System.nanoTime allows). */
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = -5 * SECOND;

  @Test
  void startsFullTakesWholeRequestsOnlyAndSaysHowLongToWait() {
    TokenBucket bucket = new TokenBucket(new RateLimitConfig(2, 4), () -> T0);
    assertThat(bucket.remaining(T0)).isEqualTo(4);
    assertThat(bucket.full(T0)).isTrue();

    assertThat(bucket.tryTake(3, T0)).isZero();
    assertThat(bucket.remaining(T0)).isEqualTo(1);
    assertThat(bucket.untilFull(T0)).isEqualTo(3 * SECOND / 2);

    // 2 do not fit while 1 is left: nothing is taken, and the second one comes in half a second
    assertThat(bucket.tryTake(2, T0)).isEqualTo(SECOND / 2);
    assertThat(bucket.remaining(T0)).isEqualTo(1);
    assertThat(bucket.shortfall(2, T0)).isEqualTo(SECOND / 2);
    assertThat(bucket.tryTake(2, T0 + SECOND / 2)).isZero();
    assertThat(bucket.remaining(T0 + SECOND / 2)).isZero();
  }

  @Test
  void refillsAtTheRateUpToTheBurstOnly() {
    TokenBucket bucket = new TokenBucket(new RateLimitConfig(2, 4), () -> T0);
    bucket.tryTake(4, T0);
    assertThat(bucket.remaining(T0)).isZero();
    assertThat(bucket.remaining(T0 + SECOND)).isEqualTo(2);
    assertThat(bucket.remaining(T0 + 2 * SECOND)).isEqualTo(4);
    assertThat(bucket.full(T0 + 2 * SECOND)).isTrue();
    assertThat(bucket.remaining(T0 + 3600 * SECOND)).isEqualTo(4); // idle time is not saved up beyond the burst
    assertThat(bucket.tryTake(5, T0 + 3600 * SECOND)).isPositive();
  }

  @Test
  void eventsGivenBackCanBeTakenAgainButNeverBeyondTheBurst() {
    TokenBucket bucket = new TokenBucket(new RateLimitConfig(1, 3), () -> T0);
    bucket.tryTake(3, T0);
    bucket.giveBack(2, T0);
    assertThat(bucket.remaining(T0)).isEqualTo(2);
    bucket.giveBack(5, T0);
    assertThat(bucket.remaining(T0)).isEqualTo(3);
    assertThat(bucket.full(T0)).isTrue();
  }

  @Test
  void secondsRoundUp() {
    assertThat(TokenBucket.seconds(0)).isZero();
    assertThat(TokenBucket.seconds(1)).isEqualTo(1);
    assertThat(TokenBucket.seconds(SECOND)).isEqualTo(1);
    assertThat(TokenBucket.seconds(SECOND + 1)).isEqualTo(2);
  }

  @Test
  void threadsTakingAtOnceNeverGetMoreThanTheBurst() throws Exception {
    TokenBucket bucket = new TokenBucket(new RateLimitConfig(1, 1000), () -> T0);
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await(60, SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 1000; i++) {
          if (bucket.tryTake(1, T0) == 0) {
            taken.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(taken.get()).isEqualTo(1000);
  }

  @Test
  void bucketsAreOnePerKeyAndFullOnesAreDroppedWhenANewKeyComes() {
    AtomicLong clock = new AtomicLong(T0);
    Buckets buckets = new Buckets(new RateLimitConfig(1, 2), clock::get);
    TokenBucket a = buckets.get("a");
    assertThat(buckets.get("a")).isSameAs(a);
    a.tryTake(2, T0);
    buckets.get("b");
    assertThat(buckets.size()).isEqualTo(2);

    // 20 s later both are full again: the next new key sweeps them
    clock.set(T0 + 20 * SECOND);
    buckets.get("c");
    assertThat(buckets.size()).isEqualTo(1);
    assertThat(buckets.get("a")).isNotSameAs(a);
    assertThat(buckets.get("a").remaining(clock.get())).isEqualTo(2);
  }
}
