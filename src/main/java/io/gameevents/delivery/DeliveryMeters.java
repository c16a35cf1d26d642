package io.gameevents.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery stage's meters on one node, shared by its instances.
 *
 * @param target what the stage writes to: the sink's name, or "spool"
 */
public record DeliveryMeters(Counter writesOk, Counter writesFailed, Timer writeTime, DistributionSummary batchRecords,
                             AtomicLong inFlightEvents, List<SinkStatus> sinkStatuses) {

  /**
   * @param maxInFlightEvents the node's bound on those events (instances x delivery.max_in_flight_events),
   *                          exported beside them so an alert can compare the two without knowing the config
   */
  public static DeliveryMeters register(MeterRegistry registry, String target, long maxInFlightEvents) {
    AtomicLong inFlight = new AtomicLong();
    List<SinkStatus> statuses = new CopyOnWriteArrayList<>();
    for (String state : SinkState.labels()) {
      // the same SinkState /ready and /health/sink answer from, one series per state
      Gauge.builder("game_events_sink_state", statuses, all -> all.stream()
              .filter(status -> status.state().label().equals(state)).count())
          .tag("sink", target).tag("state", state).strongReference(true)
          .description("Delivery instances whose sink is in this state (writing, failing, breaker_open, probing,"
              + " fatal)").register(registry);
    }
    Gauge.builder("game_events_delivery_in_flight_events", inFlight, AtomicLong::get).strongReference(true)
        .description("Events held by the delivery instances (buffered or being written)").register(registry);
    Gauge.builder("game_events_delivery_max_in_flight_events", () -> maxInFlightEvents)
        .description("Events the delivery instances may hold before answering 503 (instances x max_in_flight_events)")
        .register(registry);
    return new DeliveryMeters(
        Counter.builder("game_events_sink_writes").tag("sink", target).tag("result", "ok")
            .description("Sink write calls (one per batch)").register(registry),
        Counter.builder("game_events_sink_writes").tag("sink", target).tag("result", "failed")
            .description("Sink write calls (one per batch)").register(registry),
        Timer.builder("game_events_sink_write").tag("sink", target)
            .description("Time from handing a batch to the sink to its confirmation")
            .publishPercentiles(0.5, 0.99).register(registry),
        DistributionSummary.builder("game_events_sink_batch_records").tag("sink", target)
            .description("Records per sink write").register(registry),
        inFlight, statuses);
  }
}
