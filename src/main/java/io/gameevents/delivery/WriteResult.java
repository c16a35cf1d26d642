package io.gameevents.delivery;

import java.util.BitSet;

/**
 * What one {@link Sink#write} attempt achieved: which records the destination confirmed, and for the
 * others why not, so the {@link RetryingWriter} can decide whether and when to try them again.
 */
public final class WriteResult {

  /** Why records were not confirmed. The sink classifies its own errors; the writer only reads this. */
  public enum Failure {
    /** Transient (5xx, per-record error, connection refused or reset): retry with backoff. */
    RETRY,
    /** The destination asked us to slow down: retry with backoff, counted separately. */
    THROTTLED,
    /** No answer within the attempt's timeout: the records may or may not be stored. Retry. */
    TIMED_OUT,
    /**
     * Retrying now cannot help (unknown stream, access denied, the sink refusing writes, closed): a
     * write with a deadline gives up at once; the spool forwarder waits its longest backoff.
     */
    REFUSED
  }

  private final int size;
  private final BitSet delivered;
  private Failure failure;
  private String detail;

  private WriteResult(int size, BitSet delivered) {
    this.size = size;
    this.delivered = delivered;
  }

  public static WriteResult allDelivered(int size) {
    BitSet bits = new BitSet(size);
    bits.set(0, size);
    return new WriteResult(size, bits);
  }

  /** Nothing confirmed, for the given reason ({@code detail} is for operators; never a secret). */
  public static WriteResult noneDelivered(int size, Failure failure, String detail) {
    return new WriteResult(size, new BitSet(size)).failed(failure, detail);
  }

  /** Starts with nothing delivered; mark confirmed records with {@link #markDelivered}. */
  public static WriteResult of(int size) {
    return new WriteResult(size, new BitSet(size));
  }

  public WriteResult markDelivered(int index) {
    delivered.set(index);
    return this;
  }

  /** Why the unconfirmed records failed; the most severe reason wins when called more than once. */
  public WriteResult failed(Failure why, String text) {
    if (failure == null || why.ordinal() > failure.ordinal()) {
      failure = why;
      detail = text;
    }
    return this;
  }

  public boolean delivered(int index) {
    return delivered.get(index);
  }

  public int deliveredCount() {
    return delivered.cardinality();
  }

  public boolean complete() {
    return deliveredCount() == size;
  }

  public int size() {
    return size;
  }

  /** Null when every record was confirmed, or when the sink gave no reason (then: RETRY). */
  public Failure failure() {
    return failure == null && !complete() ? Failure.RETRY : failure;
  }

  public String detail() {
    return detail == null ? "not confirmed" : detail;
  }
}
