package io.gameevents.delivery.firehose;

import io.gameevents.metrics.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Exports the Firehose counters, one series per stream. A process runs one sink per delivery
 * instance, and Micrometer binds a meter to the first object registered under its name and tags, so
 * the meters read per-stream aggregates kept here: totals every sink adds to, and the set of live
 * (started, not closed) sinks for readiness.
 */
final class FirehoseMetrics {

  /** What the meters of one stream read. */
  static final class StreamMeters {
    final FirehoseCounters totals = new FirehoseCounters();
    final Set<FirehoseSink> live = ConcurrentHashMap.newKeySet();

    /** 1 when at least one sink is live and every live sink is ready. */
    double ready() {
      if (live.isEmpty()) {
        return 0;
      }
      return live.stream().allMatch(sink -> sink.health().ready()) ? 1 : 0;
    }
  }

  private static final Map<String, StreamMeters> STREAMS = new ConcurrentHashMap<>();

  private FirehoseMetrics() {
  }

  /** The aggregate of a stream, its meters registered (again, harmlessly) with the current registry. */
  static StreamMeters forStream(String stream) {
    StreamMeters meters = STREAMS.computeIfAbsent(stream == null ? "" : stream, name -> new StreamMeters());
    register(Metrics.registry(), Tags.of("stream", stream == null ? "" : stream), meters);
    return meters;
  }

  private static void register(MeterRegistry registry, Tags tags, StreamMeters meters) {
    FirehoseCounters totals = meters.totals;
    counter(registry, "game_events_firehose_calls", "PutRecordBatch calls started, retries included",
        tags, totals, FirehoseCounters::callsMade);
    counter(registry, "game_events_firehose_records_sent", "Events Firehose confirmed with the RecordId of their record",
        tags, totals, FirehoseCounters::recordsSent);
    counter(registry, "game_events_firehose_records_failed",
        "Events a call did not get confirmed (per-record error, failed or unanswered call)",
        tags, totals, FirehoseCounters::recordsFailed);
    counter(registry, "game_events_firehose_calls_throttled", "Whole calls refused with a throttling error",
        tags, totals, FirehoseCounters::callsThrottled);
    counter(registry, "game_events_firehose_fatal_errors", "Calls that failed with an error retrying can't fix",
        tags, totals, FirehoseCounters::fatalErrors);
    // strong reference: the aggregate lives as long as the process anyway
    Gauge.builder("game_events_firehose_ready", meters, StreamMeters::ready).tags(tags).strongReference(true)
        .description("1 when every running Firehose sink of the stream is ready, else 0").register(registry);
  }

  private static void counter(MeterRegistry registry, String name, String description, Tags tags,
      FirehoseCounters totals, ToDoubleFunction<FirehoseCounters> count) {
    FunctionCounter.builder(name, totals, count).tags(tags).description(description).register(registry);
  }
}
