package io.gameevents.dedup.storage;

import io.gameevents.config.HashKey;
import io.gameevents.util.SipHash;

/**
 * Turns an event's ids into its {@link DedupKey} under the dedup key (SipHash-2-4-128): the identity the
 * store and journal keep, and the partition that decides which dedup instance owns the event. Every node
 * of a cluster must hash alike; they compare {@link #fingerprint()}s, never the key. Thread-safe.
 */
public final class DedupHasher {

  private final SipHash sipHash;
  private final DedupKey.Digest digest;
  private final String fingerprint;

  public DedupHasher(HashKey key) {
    this.sipHash = new SipHash(key.bytes());
    this.digest = (data, length) -> sipHash.hash128(data, length, DedupKey::new);
    this.fingerprint = key.fingerprint();
  }

  /** The key of event {@code eventId} of app {@code appId}. Allocates only the record. */
  public DedupKey key(String appId, String eventId) {
    return DedupKey.of(appId, eventId, digest);
  }

  /** Identifies the key without revealing it: 32 hex characters. */
  public String fingerprint() {
    return fingerprint;
  }
}
