package io.gameevents.delivery;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.gameevents.config.ConfigException;
import io.gameevents.config.Section;
import io.gameevents.config.Timeouts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The delivery stage: batching, back-pressure, when a request is acknowledged, and the sink, whose
 * section ({@code delivery.<sink>}) its {@link SinkType} reads.
 *
 * @param ack what a 200 waits for: the sink's confirmation, or the batch fsynced to the local spool
 *            (the default for a remote sink), from which the forwarder ships it on
 */
public record DeliveryConfig(
    int instances,
    ConfiguredSink<?> sink,
    Ack ack,
    int maxBatchRecords,
    int maxBatchBytes,
    long lingerMs,
    int maxInFlightEvents,
    long retryAfterSeconds,
    CircuitBreakerConfig circuitBreaker,
    Map<SinkType<?>, Object> sinkSections) {

  public enum Ack {
    /** 200 once the sink confirmed the event (fsynced file, Firehose record id). */
    SINK,
    /** 200 once the event is fsynced to this node's spool; the forwarder ships it to the sink. */
    SPOOL;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** @param sinkTypes every sink the service can deliver to, by which {@code delivery.sink} is chosen */
  public static DeliveryConfig from(Section s, List<SinkType<?>> sinkTypes) {
    Map<String, SinkType<?>> types = new LinkedHashMap<>();
    sinkTypes.forEach(type -> types.put(type.name(), type));
    String chosen = s.oneOf("sink", "file", types.keySet());
    Map<SinkType<?>, Object> sections = new LinkedHashMap<>();
    ConfiguredSink<?> sink = null;
    for (SinkType<?> type : types.values()) {
      ConfiguredSink<?> parsed = parse(type, s.section(type.name()), type.name().equals(chosen));
      sections.put(type, parsed.config());
      if (type.name().equals(chosen)) {
        sink = parsed;
      }
    }
    String ackText = s.oneOf("ack", sink.remote() ? "spool" : "sink", Set.of("sink", "spool"));
    Ack ack = Ack.valueOf(ackText.toUpperCase(Locale.ROOT));
    if (ack == Ack.SPOOL && !sink.remote()) {
      throw s.invalid("ack", "is spool, but the " + chosen + " sink is local storage already: use ack sink");
    }
    DeliveryConfig config = new DeliveryConfig(
        s.intValue("instances", 1, 1, 64),
        sink,
        ack,
        s.intValue("max_batch_records", 500, 1, 100_000),
        s.intValue("max_batch_bytes", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
        s.longValue("linger_ms", 0, 0, 60_000),
        s.intValue("max_in_flight_events", 20_000, 1, 10_000_000),
        s.longValue("retry_after_seconds", 1, 1, 3600),
        CircuitBreakerConfig.from(s.section("circuit_breaker")),
        Map.copyOf(sections));
    s.done();
    return config;
  }

  /**
   * The delivery section of {@code app} read and checked against the rest of the config: what the composition root
   * calls once at start-up (and a reload again), before anything starts. Throws {@link ConfigException} naming the
   * first bad key.
   */
  public static DeliveryConfig of(AppConfig app, List<SinkType<?>> sinkTypes) {
    DeliveryConfig delivery = from(app.delivery(), sinkTypes);
    delivery.checkAgainst(app);
    return delivery;
  }

  /** Limits that only make sense together with the other sections. */
  private void checkAgainst(AppConfig app) {
    if (app.http().requestTimeoutMs() <= lingerMs + 1000) {
      throw new ConfigException("config key 'http.request_timeout_ms' must exceed delivery.linger_ms by at least 1000");
    }
    Timeouts.of(app.http(), answerWaitsForSinkMs(), sinkName()).check();
    if (spooled() && app.cluster().has(Role.DELIVERY) && !app.cluster().has(Role.FORWARD)) {
      throw new ConfigException("config key 'cluster.roles' has delivery but not forward while delivery.ack is spool:"
          + " this node's spool would never be forwarded to the " + sinkName() + " sink");
    }
    if (maxInFlightEvents < app.http().maxBatchEvents()) {
      throw new ConfigException("config key 'delivery.max_in_flight_events' must be at least http.max_batch_events ("
          + app.http().maxBatchEvents() + "), or a full batch could never be taken");
    }
  }

  private static <C> ConfiguredSink<C> parse(SinkType<C> type, Section section, boolean chosen) {
    return new ConfiguredSink<>(type, type.parse(section, chosen));
  }

  public String sinkName() {
    return sink.name();
  }

  public boolean spooled() {
    return ack == Ack.SPOOL;
  }

  /** How long a write to the sink may take before its request is answered: 0 when a 200 waits for the spool only. */
  public long answerWaitsForSinkMs() {
    return spooled() ? 0 : Math.max(0, sink.retryPolicy().deadlineMs());
  }

  /** The parsed section of any registered sink type (the chosen one is {@link #sink()}). */
  @SuppressWarnings("unchecked")
  public <C> C settings(SinkType<C> type) {
    Object section = sinkSections.get(type);
    if (section == null) {
      throw new ConfigException("no sink type '" + type.name() + "' is registered");
    }
    return (C) section;
  }

  /**
   * In {@code sink} mode: after the sink failed without a success for {@code openAfterMs}, requests
   * get 503 at once instead of each waiting the delivery deadline; every {@code probeIntervalMs} one
   * write is let through to find out whether the sink is back.
   */
  public record CircuitBreakerConfig(long openAfterMs, long probeIntervalMs) {

    static CircuitBreakerConfig from(Section s) {
      CircuitBreakerConfig config = new CircuitBreakerConfig(
          s.longValue("open_after_ms", 3_000, 100, 600_000),
          s.longValue("probe_interval_ms", 1_000, 10, 600_000));
      s.done();
      return config;
    }
  }
}
