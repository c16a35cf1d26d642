package io.gameevents.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** The sink named by {@code delivery.sink}, with its parsed section: no caller needs the config's type. */
public record ConfiguredSink<C>(SinkType<C> type, C config) {

  public String name() {
    return type.name();
  }

  public Sink create(Vertx vertx, MeterRegistry registry) {
    return type.create(vertx, config, registry);
  }

  public SinkLimits limits() {
    return type.limits(config);
  }

  public RetryPolicy retryPolicy() {
    return type.retryPolicy(config);
  }

  public int concurrentWrites() {
    return type.concurrentWrites(config);
  }

  public boolean remote() {
    return type.remote();
  }

  public AutoCloseable prepare() throws Exception {
    return type.prepare(config);
  }

  public java.util.Optional<StoredRecords> storedRecords() {
    return type.storedRecords(config);
  }
}
