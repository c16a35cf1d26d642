package io.gameevents.delivery;

import io.gameevents.config.Section;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * One kind of sink: everything the rest of the service needs to know about it, in one place.
 * Registered in {@code delivery.sinks.SinkTypes}; its config section is {@code delivery.<name>}.
 *
 * @param <C> its config object
 */
public interface SinkType<C> {

  /** The value of {@code delivery.sink}, and the name of its config section. */
  String name();

  /**
   * Reads {@code delivery.<name>}. Every registered type's section is read (a typo fails start-up
   * even in a section not in use); {@code chosen} says whether this type is the sink, so keys that
   * are required only then can be checked.
   */
  C parse(Section section, boolean chosen);

  /** A sink for one delivery (or forwarder) verticle instance, on that instance's context. */
  Sink create(Vertx vertx, C config, MeterRegistry registry);

  /** The per-call limits; their record size also bounds an event at the HTTP stage (413). */
  SinkLimits limits(C config);

  /** Deadline, attempt timeout and backoff of the {@link RetryingWriter} in front of it. */
  RetryPolicy retryPolicy(C config);

  /** Writes one verticle instance may have outstanding at once. */
  int concurrentWrites(C config);

  /** A sink across the network: acknowledgements default to the local spool in front of it. */
  boolean remote();

  /**
   * Blocking, before the first delivery instance starts: locks what this sink writes and repairs
   * what a crashed run left behind. The returned handle is closed when the node stops.
   */
  default AutoCloseable prepare(C config) throws Exception {
    return () -> { };
  }

  /**
   * The records this sink keeps on this node's disk, readable at start-up (after {@link #prepare}); empty for a
   * sink whose records leave the node.
   */
  default java.util.Optional<StoredRecords> storedRecords(C config) {
    return java.util.Optional.empty();
  }
}
