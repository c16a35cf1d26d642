package io.gameevents.delivery;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where delivered events end up. Each delivery (or forwarder) verticle instance owns one sink,
 * created and called on that verticle's context; implementations bring their completions back onto
 * it. A sink makes <em>one attempt</em> per {@link #write}: retries, backoff and deadlines belong to
 * the {@link RetryingWriter} in front of it, so a sink only builds its calls and classifies its
 * errors.
 *
 * <p>The contract that makes "200 means durable" true: {@link #write} completes with
 * {@code delivered(i) == true} only for records the destination has confirmed (fsynced file,
 * Firehose record id), and it completes within {@code timeoutMs}: whatever is not confirmed by then
 * is reported not delivered, with a {@link WriteResult.Failure}.
 */
public interface Sink {

  /** The hard limits of one {@link #write} call; the batcher never exceeds them. */
  SinkLimits limits();

  /** Opens the sink; a failure here fails start-up. */
  Future<Void> start();

  /**
   * One attempt to deliver records (UTF-8 JSON, no trailing newline: the sink adds the separator it
   * needs). Completes with one flag per record, in order, never later than {@code timeoutMs} after
   * the call. A failed future counts as nothing delivered (to be retried).
   */
  Future<WriteResult> write(List<byte[]> records, long timeoutMs);

  /** Whether the sink currently accepts writes, and if not, why (shown on /ready and /health/sink). */
  SinkHealth health();

  /** Releases resources; called once no write of the delivery stage is pending any more. */
  Future<Void> close();
}
