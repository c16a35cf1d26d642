package io.gameevents.delivery;

import io.gameevents.config.DeliveryConfig;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.firehose.FirehoseSink;
import io.vertx.core.Vertx;

import java.time.Clock;

/** Picks the sink named by {@code delivery.sink}. */
public final class Sinks {

  /** Creates a sink for one delivery-verticle instance. Tests pass their own (slow, failing...). */
  @FunctionalInterface
  public interface Factory {
    Sink create(Vertx vertx, DeliveryConfig config);
  }

  public static final Factory FROM_CONFIG = (vertx, config) -> switch (config.sink()) {
    case "file" -> new FileSink(vertx, config.file(), Clock.systemUTC());
    case "firehose" -> new FirehoseSink(vertx, config.firehose());
    default -> throw new IllegalArgumentException("unknown sink " + config.sink());
  };

  private Sinks() {
  }

  /**
   * The largest record the configured sink takes. The HTTP stage refuses bigger events with 413,
   * so nothing is accepted that the sink can never deliver.
   */
  public static int maxRecordBytes(DeliveryConfig config) {
    return "firehose".equals(config.sink()) ? FirehoseSink.LIMITS.maxRecordBytes() : Integer.MAX_VALUE;
  }

  /** How long one sink write may take before it gives up (the file sink has no deadline of its own). */
  public static long deliveryDeadlineMs(DeliveryConfig config) {
    return "firehose".equals(config.sink()) ? config.firehose().deliveryDeadlineMs() : 0;
  }

  /** How many writes one delivery instance may have outstanding: files are one ordered stream. */
  public static int concurrentWrites(DeliveryConfig config) {
    return "firehose".equals(config.sink()) ? config.firehose().maxConcurrentCalls() : 1;
  }
}
