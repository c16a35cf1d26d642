package io.gameevents.delivery.firehose;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of one {@link FirehoseSink}; readable from any thread (e.g. a metrics endpoint).
 * Every increment also goes to the totals of the sink's stream (summed over all sinks of the
 * process, closed ones included), which is what {@link FirehoseMetrics} exports: counters must never
 * go down when a sink closes.
 *
 * <p>Records here are the sink's records, i.e. events: with {@code aggregate} several of them travel
 * in one Firehose record and are counted one by one.
 */
public final class FirehoseCounters {

  /** One count, added to the stream's total too. */
  static final class Tally {
    private final AtomicLong own = new AtomicLong();
    private final Tally total;

    private Tally(Tally total) {
      this.total = total;
    }

    void add(long amount) {
      own.addAndGet(amount);
      if (total != null) {
        total.add(amount);
      }
    }

    long get() {
      return own.get();
    }
  }

  final Tally callsMade;
  final Tally recordsSent;
  final Tally recordsFailed;
  final Tally callsThrottled;
  final Tally fatalErrors;

  /** Totals of a stream: no parent. */
  FirehoseCounters() {
    this(null);
  }

  /** One sink's counts, also added to {@code streamTotals} (may be null). */
  FirehoseCounters(FirehoseCounters streamTotals) {
    callsMade = new Tally(streamTotals == null ? null : streamTotals.callsMade);
    recordsSent = new Tally(streamTotals == null ? null : streamTotals.recordsSent);
    recordsFailed = new Tally(streamTotals == null ? null : streamTotals.recordsFailed);
    callsThrottled = new Tally(streamTotals == null ? null : streamTotals.callsThrottled);
    fatalErrors = new Tally(streamTotals == null ? null : streamTotals.fatalErrors);
  }

  /** PutRecordBatch calls started, retries included. */
  public long callsMade() {
    return callsMade.get();
  }

  /** Records Firehose confirmed with a RecordId. */
  public long recordsSent() {
    return recordsSent.get();
  }

  /**
   * Records a call did not get confirmed: a per-record ErrorCode, or every record of a call that
   * failed whole or was not answered in time (one record failing twice counts 2).
   */
  public long recordsFailed() {
    return recordsFailed.get();
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
