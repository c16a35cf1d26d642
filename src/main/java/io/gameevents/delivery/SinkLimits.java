package io.gameevents.delivery;

/**
 * Per-call limits of a sink.
 *
 * @param maxRecords     records per write call
 * @param maxBatchBytes  sum of record sizes (plus separators) per write call
 * @param maxRecordBytes size of one record; bigger events are rejected at the HTTP stage with 413
 */
public record SinkLimits(int maxRecords, long maxBatchBytes, int maxRecordBytes) {

  /** The tighter of two limits, field by field. */
  public SinkLimits min(SinkLimits other) {
    return new SinkLimits(Math.min(maxRecords, other.maxRecords), Math.min(maxBatchBytes, other.maxBatchBytes),
        Math.min(maxRecordBytes, other.maxRecordBytes));
  }
}
