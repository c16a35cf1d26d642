package io.gameevents.debugger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Wrong admin tokens per client address, so the debugger cannot be used to guess one: a token bucket per address
 * ({@value #BURST} failures at once, one more every {@value #REFILL_SECONDS} s), in a map bounded to
 * {@value #MAX_ADDRESSES} addresses, least recently failing dropped first. Failures are rare, so one lock is
 * enough. An attacker with more addresses than the bound starts afresh on each: the bound only keeps memory
 * fixed, the tokens' length is what makes guessing hopeless.
 */
final class FailedAttempts {

  static final int BURST = 10;
  static final long REFILL_SECONDS = 6;
  static final int MAX_ADDRESSES = 10_000;
  private static final long REFILL_NANOS = REFILL_SECONDS * 1_000_000_000L;

  private final LongSupplier clock;
  /** Address -> when (nanos) its bucket is full again; GCRA, as {@link io.gameevents.http.limit.TokenBucket}. */
  private final Map<String, Long> fullAt = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  FailedAttempts(LongSupplier clock) {
    this.clock = clock;
  }

  /** Nanos until this address may try again, 0 when it may now. */
  synchronized long retryAfterNanos(String address) {
    Long full = fullAt.get(address);
    if (full == null) {
      return 0;
    }
    return Math.max(0, full - clock.getAsLong() - (BURST - 1) * REFILL_NANOS);
  }

  /** Charges a wrong token to the address (one that {@link #retryAfterNanos} let through). */
  synchronized void failed(String address) {
    long now = clock.getAsLong();
    Long full = fullAt.get(address);
    fullAt.put(address, (full == null || full - now < 0 ? now : full) + REFILL_NANOS);
  }

  synchronized int size() {
    return fullAt.size();
  }
}
