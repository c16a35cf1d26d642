package io.gameevents.delivery;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where delivered events end up. Each delivery verticle instance owns one sink, created and called
 * on that verticle's context; implementations bring their completions back onto it.
 *
 * <p>The contract that makes "200 means durable" true: {@link #write} completes with
 * {@code delivered(i) == true} only for records the destination has confirmed (fsynced file,
 * Firehose record id). Whatever it can't confirm in time is reported as not delivered; the client
 * then gets a 503 and may retry.
 */
public interface Sink {

  /** The hard limits of one {@link #write} call; the batcher never exceeds them. */
  SinkLimits limits();

  /** Opens the sink; a failure here fails start-up. */
  Future<Void> start();

  /**
   * Delivers records (UTF-8 JSON, no trailing newline: the sink adds the separator it needs).
   * Completes with one flag per record, in order. A failed future means none was delivered.
   */
  Future<WriteResult> write(List<byte[]> records);

  /** Whether the sink currently accepts writes, and if not, why (shown on /ready). */
  SinkHealth health();

  /** Finishes pending work and releases resources; called after the last write completed. */
  Future<Void> close();
}
