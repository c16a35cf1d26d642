package io.gameevents.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;

/**
 * The service's own meters, beside Vert.x's HTTP, connection, pool and JVM metrics (not its per-message
 * event-bus ones), all scraped from GET /metrics (Prometheus). Names start with {@code game_events_}.
 */
public final class Metrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();
  /** Upper bounds of the HTTP response-time buckets: 5 ms to 30 s (http.request_timeout_ms's default). */
  private static final double[] RESPONSE_TIME_BUCKETS_NANOS = java.util.stream.DoubleStream.of(
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).map(seconds -> seconds * 1e9).toArray();

  private Metrics() {
  }

  /** Enables Vert.x metrics with a Prometheus registry (call before Vert.x starts; with {@link #factory()}). */
  public static VertxOptions enable(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Vert.x's event-bus meters look a gauge and counters up in the registry for every message: four
        // messages per request (HTTP -> dedup -> delivery and the replies), ~5% of a request's CPU. No
        // dashboard or alert reads them; the pipeline's own meters (in flight, outcomes) say what they would.
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        // (the HTTP server's request series always carry code, method and route: HttpServerMeters makes them)
        .setLabels(EnumSet.of(Label.HTTP_CODE, Label.HTTP_METHOD, Label.HTTP_ROUTE,
            Label.POOL_TYPE, Label.POOL_NAME))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  /**
   * The factory Vert.x's meters go through (vertx-micrometer's, with HTTP server requests measured by
   * {@link HttpServerMeters}), over a Prometheus registry whose filter gives the HTTP
   * response time a histogram (so latency percentiles can be computed across nodes) before the first
   * meter exists. Vert.x's own histogram option would give one to every timer, at about 70 buckets each.
   */
  public static VertxMetricsFactory factory() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().replace('.', '_').equals("vertx_http_server_response_time")) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(RESPONSE_TIME_BUCKETS_NANOS).build()
            .merge(config);
      }
    });
    return new VertxMeters(registry);
  }

  /** The Prometheus registry when metrics are enabled, otherwise an in-memory one (tests, embedded use). */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : FALLBACK;
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

  /**
   * When this node's event-bus certificate ({@code cluster.tls.cert_path}) expires, in seconds since the epoch: once
   * it has, the other members refuse this node's connections, so an alert must come well before.
   */
  public static void clusterCertificateExpiry(MeterRegistry registry, java.time.Instant expiry) {
    long seconds = expiry.getEpochSecond();
    Gauge.builder("game_events_cluster_certificate_expiry_seconds", () -> seconds)
        .description("Expiry of this member's event-bus certificate (cluster.tls.cert_path), seconds since the epoch")
        .register(registry);
  }

  /** Events by what became of them: accepted, duplicate, rejected, unavailable. */
  public static Counter events(MeterRegistry registry, String outcome) {
    return Counter.builder("game_events_events").tag("outcome", outcome)
        .description("Events received, by outcome").register(registry);
  }
}
