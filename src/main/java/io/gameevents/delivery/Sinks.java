package io.gameevents.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** Creates the sink named by {@code delivery.sink}, through its {@link SinkType}. */
public final class Sinks {

  /** Creates a sink for one delivery or forwarder instance. Tests pass their own (slow, failing...). */
  @FunctionalInterface
  public interface Factory {
    Sink create(Vertx vertx, DeliveryConfig config, MeterRegistry registry);
  }

  public static final Factory FROM_CONFIG = (vertx, config, registry) -> config.sink().create(vertx, registry);

  private Sinks() {
  }

  /**
   * The largest record the configured sink takes. The HTTP stage refuses bigger events with 413,
   * so nothing is accepted (nor spooled) that the sink can never deliver.
   */
  public static int maxRecordBytes(DeliveryConfig config) {
    return config.sink().limits().maxRecordBytes();
  }
}
