package io.gameevents.delivery.firehose;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals of one {@link FirehoseSink}; readable from any thread (e.g. a metrics endpoint). */
public final class FirehoseCounters {

  final AtomicLong callsMade = new AtomicLong();
  final AtomicLong recordsSent = new AtomicLong();
  final AtomicLong recordsRetried = new AtomicLong();
  final AtomicLong recordsNotDelivered = new AtomicLong();
  final AtomicLong callsThrottled = new AtomicLong();
  final AtomicLong fatalErrors = new AtomicLong();

  /** PutRecordBatch calls started, retries included. */
  public long callsMade() {
    return callsMade.get();
  }

  /** Records Firehose confirmed with a RecordId. */
  public long recordsSent() {
    return recordsSent.get();
  }

  /** Record re-sends after a per-record or whole-call failure (one record re-sent twice counts 2). */
  public long recordsRetried() {
    return recordsRetried.get();
  }

  /** Records reported not delivered (deadline, fatal state, close, unretryable error). */
  public long recordsNotDelivered() {
    return recordsNotDelivered.get();
  }

  /** Whole calls refused with a throttling error (ServiceUnavailable, LimitExceeded, 429). */
  public long callsThrottled() {
    return callsThrottled.get();
  }

  /** Calls that failed with an error retrying can't fix (unknown stream, access denied...). */
  public long fatalErrors() {
    return fatalErrors.get();
  }
}
