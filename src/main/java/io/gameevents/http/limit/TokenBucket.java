package io.gameevents.http.limit;

import io.gameevents.config.RateLimitConfig;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One credential's token bucket, shared by every HTTP event loop of the node without a lock: its whole state
 * is one {@code long}, the instant at which every token taken so far will have been refilled (the "theoretical
 * arrival time" of the generic cell rate algorithm, GCRA). Taking n tokens moves that instant n intervals later, by
 * compare-and-set, and is refused when it would land more than {@code burst} intervals after now.
 *
 * <p>One bucket per node rather than one per event loop at rate / http.instances: a keep-alive connection
 * stays on one event loop, so split buckets would hold a single-connection client to a fraction of its limit.
 * Times are nanos from the bucket's clock ({@link System#nanoTime} outside tests), compared by difference; a
 * caller reads {@link #now()} once and passes it on, so a request's take and its headers see the same instant.
 */
public final class TokenBucket {

  private static final long SECOND = 1_000_000_000L;

  private final RateLimitConfig limit;
  private final LongSupplier clock;
  private final long interval; // nanos to refill one token
  private final long capacity; // nanos to refill the whole burst
  private final AtomicLong refilledAt;

  /** A full bucket. */
  public TokenBucket(RateLimitConfig limit, LongSupplier clock) {
    this.limit = limit;
    this.clock = clock;
    this.interval = SECOND / limit.eventsPerSecond();
    this.capacity = interval * limit.burst();
    this.refilledAt = new AtomicLong(clock.getAsLong());
  }

  public RateLimitConfig limit() {
    return limit;
  }

  public long now() {
    return clock.getAsLong();
  }

  /**
   * Takes {@code events} tokens, or none.
   *
   * @return 0 when taken; otherwise the nanos until they would fit (a request larger than the burst never
   *     fits: check {@link RateLimitConfig#burst()} first)
   */
  public long tryTake(int events, long now) {
    long cost = events * interval;
    while (true) {
      long current = refilledAt.get();
      long next = later(current, now) + cost;
      long shortfall = next - now - capacity;
      if (shortfall > 0) {
        return shortfall;
      }
      if (refilledAt.compareAndSet(current, next)) {
        return 0;
      }
    }
  }

  /** The nanos until {@code events} tokens would fit, 0 when they fit now; takes nothing. */
  public long shortfall(int events, long now) {
    return Math.max(0, later(refilledAt.get(), now) + events * interval - now - capacity);
  }

  /** Returns tokens taken for events that were not stored, so a retry of them costs nothing twice. */
  public void giveBack(int events, long now) {
    long refund = events * interval;
    while (true) {
      long current = refilledAt.get();
      if (current - now <= 0 || refilledAt.compareAndSet(current, later(current - refund, now))) {
        return; // full already, or given back
      }
    }
  }

  /** Whole tokens left now. */
  public int remaining(long now) {
    long owed = Math.max(0, refilledAt.get() - now);
    return (int) Math.max(0, (capacity - owed) / interval);
  }

  /** Nanos until the bucket is full again, 0 when it is. */
  public long untilFull(long now) {
    return Math.max(0, refilledAt.get() - now);
  }

  /** True when the bucket is full: it then holds nothing a fresh bucket would not. */
  public boolean full(long now) {
    return refilledAt.get() - now <= 0;
  }

  public static long seconds(long nanos) {
    return (nanos + SECOND - 1) / SECOND;
  }

  private static long later(long a, long b) {
    return a - b > 0 ? a : b;
  }
}
