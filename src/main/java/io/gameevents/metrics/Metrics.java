package io.gameevents.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;

/**
 * The service's own meters, beside Vert.x's HTTP and event-bus metrics, all scraped from
 * GET /metrics (Prometheus). Names start with {@code game_events_}.
 */
public final class Metrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

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

  /**
   * The configured {@code dedup.partitions}, on every node whatever its roles: the alert on partitions
   * without an owner compares the owners' sum with it, and must still see it when no dedup instance is left.
   */
  public static void dedupPartitions(MeterRegistry registry, int partitions) {
    Gauge.builder("game_events_dedup_partitions", () -> partitions)
        .description("Dedup partitions of the id space (dedup.partitions), each to be owned by one dedup instance")
        .register(registry);
  }

  /** Events by what became of them: accepted, duplicate, rejected, unavailable. */
  public static Counter events(MeterRegistry registry, String outcome) {
    return Counter.builder("game_events_events").tag("outcome", outcome)
        .description("Events received, by outcome").register(registry);
  }
}
