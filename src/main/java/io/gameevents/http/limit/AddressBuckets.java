package io.gameevents.http.limit;

import io.gameevents.config.RateLimitConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-address rate limits of a node: one {@link TokenBucket} per (credential, client address), made on first
 * use, in a table of at most {@code maxEntries}. Every client chooses its address (an attacker rotating through
 * a botnet or an IPv6 range makes a new one per request), so the table is bounded: past the bound the entry used
 * longest ago is dropped. A dropped entry comes back as a full bucket, which only ever lets more through: an
 * attacker who cycles more addresses than the table holds gets each address's burst again, and the credential's
 * own bucket, the app's ceiling, still holds them all.
 *
 * <p>The table is cut into stripes, each an access-ordered {@link LinkedHashMap} under its own lock, so the
 * HTTP event loops rarely wait on one another; the stripes' bounds add up to {@code maxEntries}.
 */
public final class AddressBuckets {

  private static final int STRIPES = 16;

  private final LongSupplier clock;
  private final Stripe[] stripes;

  public AddressBuckets(int maxEntries, LongSupplier clock) {
    this.clock = clock;
    int count = Math.min(STRIPES, maxEntries);
    this.stripes = new Stripe[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Stripe(maxEntries / count + (i < maxEntries % count ? 1 : 0));
    }
  }

  /**
   * The bucket of {@code address} (a client address group) under {@code credential}, made full with
   * {@code limit} if the table has none, or one made with another limit (a reloaded config).
   */
  public TokenBucket get(String credential, String address, RateLimitConfig limit) {
    String key = credential + ' ' + address;
    int hash = key.hashCode();
    Stripe stripe = stripes[Math.floorMod(hash ^ (hash >>> 16), stripes.length)];
    synchronized (stripe) {
      TokenBucket bucket = stripe.get(key);
      if (bucket == null || !bucket.limit().equals(limit)) {
        bucket = new TokenBucket(limit, clock);
        stripe.put(key, bucket);
      }
      return bucket;
    }
  }

  /** Entries held now, all stripes together. */
  public int size() {
    int size = 0;
    for (Stripe stripe : stripes) {
      synchronized (stripe) {
        size += stripe.size();
      }
    }
    return size;
  }

  private static final class Stripe extends LinkedHashMap<String, TokenBucket> {

    private final int max;

    Stripe(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
      return size() > max;
    }
  }
}
