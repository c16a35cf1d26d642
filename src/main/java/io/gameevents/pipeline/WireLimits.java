package io.gameevents.pipeline;

import io.gameevents.config.HttpConfig;

/**
 * What a clustered {@link EventBatch} or {@link Outcomes} may hold, derived from the HTTP limits every
 * member of a cluster must share ({@code http.max_batch_events}, {@code http.max_event_bytes}; compared
 * at join), so a worker never refuses what an edge may send. The HTTP stage refuses an event whose stored
 * record would pass {@link #maxRecordBytes} (413), so the bound is also a promise the edge keeps.
 *
 * @param maxEvents      events in one message (one request's batch at most)
 * @param maxRecordBytes bytes of one stored record
 */
public record WireLimits(int maxEvents, int maxRecordBytes) {

  /**
   * The bytes of an app id or event id on the wire: the schemas allow 128 and 64 ASCII characters; this
   * leaves room for any 128 characters of UTF-8 and still bounds what a forged message makes us allocate.
   */
  public static final int MAX_ID_BYTES = 512;

  /**
   * A record holds the event twice at most (raw_payload, and its fields as columns) plus fixed columns;
   * a number written back from the parsed tree can take up to three times its text ({@code 1e6} becomes
   * {@code 1000000.0}): 4 times the event bounds the variable part.
   */
  static final int EVENT_COPIES = 4;

  /** The built-in column names, timestamps, numbers and separators: about 600 bytes, rounded up generously. */
  static final int RECORD_OVERHEAD = 16 * 1024;

  public WireLimits {
    if (maxEvents < 1 || maxRecordBytes < 1) {
      throw new IllegalArgumentException("wire limits must be positive: " + maxEvents + ", " + maxRecordBytes);
    }
  }

  public static WireLimits of(HttpConfig http) {
    return of(http.maxBatchEvents(), http.maxEventBytes());
  }

  public static WireLimits of(int maxBatchEvents, int maxEventBytes) {
    return new WireLimits(maxBatchEvents, Math.toIntExact(EVENT_COPIES * (long) maxEventBytes + RECORD_OVERHEAD));
  }
}
