package io.gameevents.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own meters, beside Vert.x's HTTP and event-bus metrics, all scraped from
 * GET /metrics (Prometheus). Names start with {@code game_events_}.
 */
public final class Metrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();
  private static final AtomicLong IN_FLIGHT = new AtomicLong();

  private Metrics() {
  }

  /** Enables Vert.x metrics with a Prometheus registry (call before Vert.x starts). */
  public static VertxOptions enable(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_CODE, Label.HTTP_METHOD, Label.HTTP_ROUTE,
            Label.POOL_TYPE, Label.POOL_NAME))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  /** The Prometheus registry when metrics are enabled, otherwise an in-memory one (tests, embedded use). */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : FALLBACK;
  }

  public static boolean prometheusEnabled() {
    return BackendRegistries.getDefaultNow() != null;
  }

  /** Events by what became of them: accepted, duplicate, rejected, unavailable. */
  public static Counter events(String outcome) {
    return Counter.builder("game_events_events").tag("outcome", outcome)
        .description("Events received, by outcome").register(registry());
  }

  public static Counter sinkWrites(String sink, boolean ok) {
    return Counter.builder("game_events_sink_writes").tag("sink", sink).tag("result", ok ? "ok" : "failed")
        .description("Sink write calls (one per batch)").register(registry());
  }

  public static Timer sinkWriteTime(String sink) {
    return Timer.builder("game_events_sink_write").tag("sink", sink)
        .description("Time from handing a batch to the sink to its confirmation")
        .publishPercentiles(0.5, 0.99).register(registry());
  }

  public static DistributionSummary batchRecords(String sink) {
    return DistributionSummary.builder("game_events_sink_batch_records").tag("sink", sink)
        .description("Records per sink write").register(registry());
  }

  /** Events held by delivery instances (buffered or being written), summed over instances. */
  public static AtomicLong inFlightEvents() {
    MeterRegistry registry = registry();
    if (registry.find("game_events_delivery_in_flight_events").gauge() == null) {
      registry.gauge("game_events_delivery_in_flight_events", IN_FLIGHT);
    }
    return IN_FLIGHT;
  }
}
