package io.gameevents.pipeline;

/** What became of one event. Only ACCEPTED and DUPLICATE mean the event is durable. */
public enum Outcome {
  /** The sink confirmed it (fsynced file, Firehose record id). */
  ACCEPTED,
  /** An earlier copy with the same (app_id, event_id) was confirmed. */
  DUPLICATE,
  /** Not taken: the pipeline is at its in-flight bound. Safe to retry. */
  OVERLOADED,
  /** The sink failed or its delivery deadline passed. Safe to retry. */
  SINK_FAILED,
  /** The service is draining for shutdown. Safe to retry (elsewhere). */
  SHUTTING_DOWN,
  /** Not taken: this node's spool is at spool.max_bytes or its disk at the free-space floor. Safe to retry. */
  SPOOL_FULL,
  /** Not tried: the sink has failed every write for a while (circuit breaker open). Safe to retry. */
  SINK_DOWN;

  public boolean durable() {
    return this == ACCEPTED || this == DUPLICATE;
  }
}
