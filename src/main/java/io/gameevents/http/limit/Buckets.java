package io.gameevents.http.limit;

import io.gameevents.config.RateLimitConfig;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Buckets made on first use, one per key (a token's subject), all with the same limit. A bucket that is full
 * again holds nothing a new one would not, so such buckets are dropped now and then: the map holds only the
 * credentials that sent within about burst / rate seconds, not every subject ever seen.
 */
public final class Buckets {

  private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;

  private final RateLimitConfig limit;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep;

  public Buckets(RateLimitConfig limit, LongSupplier clock) {
    this.limit = limit;
    this.clock = clock;
    this.nextSweep = new AtomicLong(clock.getAsLong() + SWEEP_EVERY_NANOS);
  }

  public TokenBucket get(String key) {
    TokenBucket bucket = buckets.get(key);
    if (bucket == null) {
      sweepIfDue(clock.getAsLong()); // only a new key grows the map, so only a new key needs to shrink it
      bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(limit, clock));
    }
    return bucket;
  }

  int size() {
    return buckets.size();
  }

  /**
   * At most once per interval, on whichever thread is due. A request holding a bucket as it is dropped
   * charges the dropped one, so that key's next request starts full: at most one request free per sweep.
   */
  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
      buckets.values().removeIf(bucket -> bucket.full(now));
    }
  }
}
