package io.gameevents.delivery.firehose;

import io.gameevents.config.Section;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Amazon Data Firehose. Credentials come from the AWS default provider chain (env, profile,
 * instance role), never from this file.
 *
 * @param streamName  the one stream written to ({@code stream_name}); null when {@code stream_names} is used
 * @param aggregate   several newline-separated events per Firehose record (see {@link RecordBatch})
 * @param streamNames the streams a write is spread over ({@code stream_names}); empty when
 *                    {@code stream_name} names the only one
 * @param spread      how events are spread over {@code streamNames}
 * @param refusedStreamName where events refused for their content are kept ({@code refused_stream_name}), or
 *                    null: not kept (see docs/refused-events.md)
 */
public record FirehoseSinkConfig(
    String streamName,
    String region,
    String endpointOverride,
    int maxConcurrentCalls,
    int maxConnections,
    long callTimeoutMs,
    long deliveryDeadlineMs,
    long retryBaseMs,
    long retryMaxMs,
    long describeIntervalMs,
    long maxCallTimeoutMs,
    boolean aggregate,
    List<String> streamNames,
    Spread spread,
    String refusedStreamName) {

  /** How {@link SpreadingSink} picks a stream. */
  public enum Spread {
    /** By a hash of the event's app_id: an app's events always go to the same stream. */
    APP_ID,
    /** Each write whole to the next stream in turn. */
    ROUND_ROBIN;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The longest a call may be given after calls timed out (see RetryingWriter): 60 s unless set. */
  static final long DEFAULT_MAX_CALL_TIMEOUT_MS = 60_000;

  public FirehoseSinkConfig {
    streamNames = streamNames == null ? List.of() : List.copyOf(streamNames);
    spread = spread == null ? Spread.APP_ID : spread;
  }

  /** Without a refused stream. */
  public FirehoseSinkConfig(String streamName, String region, String endpointOverride, int maxConcurrentCalls,
                            int maxConnections, long callTimeoutMs, long deliveryDeadlineMs, long retryBaseMs,
                            long retryMaxMs, long describeIntervalMs, long maxCallTimeoutMs, boolean aggregate,
                            List<String> streamNames, Spread spread) {
    this(streamName, region, endpointOverride, maxConcurrentCalls, maxConnections, callTimeoutMs, deliveryDeadlineMs,
        retryBaseMs, retryMaxMs, describeIntervalMs, maxCallTimeoutMs, aggregate, streamNames, spread, null);
  }

  /**
   * The same settings writing the refused stream, one Firehose record per refused event (a refused record is
   * rare and must be found alone), or null when no refused stream is set.
   */
  public FirehoseSinkConfig refused() {
    return refusedStreamName == null ? null : new FirehoseSinkConfig(refusedStreamName, region, endpointOverride,
        maxConcurrentCalls, maxConnections, callTimeoutMs, deliveryDeadlineMs, retryBaseMs, retryMaxMs,
        describeIntervalMs, maxCallTimeoutMs, false, List.of(), spread, null);
  }

  /** One stream, one Firehose record per event. */
  public FirehoseSinkConfig(String streamName, String region, String endpointOverride, int maxConcurrentCalls,
                            int maxConnections, long callTimeoutMs, long deliveryDeadlineMs, long retryBaseMs,
                            long retryMaxMs, long describeIntervalMs) {
    this(streamName, region, endpointOverride, maxConcurrentCalls, maxConnections, callTimeoutMs, deliveryDeadlineMs,
        retryBaseMs, retryMaxMs, describeIntervalMs, Math.max(callTimeoutMs, DEFAULT_MAX_CALL_TIMEOUT_MS), false,
        List.of(), Spread.APP_ID);
  }

  /** Every stream written to, in configured order (the order {@link Spread#APP_ID} hashes over). */
  public List<String> streams() {
    if (!streamNames.isEmpty()) {
      return streamNames;
    }
    return streamName == null ? List.of() : List.of(streamName);
  }

  /** The same settings for one of {@link #streams()}. */
  FirehoseSinkConfig forStream(String stream) {
    return new FirehoseSinkConfig(stream, region, endpointOverride, maxConcurrentCalls, maxConnections, callTimeoutMs,
        deliveryDeadlineMs, retryBaseMs, retryMaxMs, describeIntervalMs, maxCallTimeoutMs, aggregate, List.of(),
        spread, refusedStreamName);
  }

  public FirehoseSinkConfig withAggregate(boolean on) {
    return new FirehoseSinkConfig(streamName, region, endpointOverride, maxConcurrentCalls, maxConnections,
        callTimeoutMs, deliveryDeadlineMs, retryBaseMs, retryMaxMs, describeIntervalMs, maxCallTimeoutMs, on,
        streamNames, spread, refusedStreamName);
  }

  public FirehoseSinkConfig withStreams(List<String> streams, Spread how) {
    return new FirehoseSinkConfig(null, region, endpointOverride, maxConcurrentCalls, maxConnections, callTimeoutMs,
        deliveryDeadlineMs, retryBaseMs, retryMaxMs, describeIntervalMs, maxCallTimeoutMs, aggregate, streams, how,
        refusedStreamName);
  }

  public static FirehoseSinkConfig from(Section s) {
    FirehoseSinkConfig config = new FirehoseSinkConfig(
        s.string("stream_name", null),
        s.string("region", "us-east-1"),
        s.string("endpoint_override", null),
        s.intValue("max_concurrent_calls", 4, 1, 256),
        s.intValue("max_connections", 16, 1, 1024),
        s.longValue("call_timeout_ms", 10_000, 100, 300_000),
        s.longValue("delivery_deadline_ms", 20_000, 100, 600_000),
        s.longValue("retry_base_ms", 100, 1, 60_000),
        s.longValue("retry_max_ms", 5_000, 1, 300_000),
        s.longValue("describe_interval_ms", 60_000, 1_000, 3_600_000),
        s.longValue("max_call_timeout_ms", DEFAULT_MAX_CALL_TIMEOUT_MS, 100, 600_000),
        s.bool("aggregate", false),
        s.strings("stream_names", List.of()),
        Spread.valueOf(s.oneOf("spread", Spread.APP_ID.key(), Set.of(Spread.APP_ID.key(), Spread.ROUND_ROBIN.key()))
            .toUpperCase(Locale.ROOT)),
        s.string("refused_stream_name", null));
    s.done();
    if (config.callTimeoutMs > config.deliveryDeadlineMs) {
      // a call is only started when its whole timeout fits before the deadline (no late success)
      throw s.invalid("call_timeout_ms", "must not exceed delivery_deadline_ms (" + config.deliveryDeadlineMs + ")");
    }
    if (config.maxCallTimeoutMs < config.callTimeoutMs) {
      throw s.invalid("max_call_timeout_ms", "must be at least call_timeout_ms (" + config.callTimeoutMs + ")");
    }
    if (s.has("stream_names")) {
      checkStreamNames(s, config);
    }
    if (config.refusedStreamName != null && config.streams().contains(config.refusedStreamName)) {
      throw s.invalid("refused_stream_name", "must not be a stream of the events: refused events are kept apart");
    }
    return config;
  }

  private static void checkStreamNames(Section s, FirehoseSinkConfig config) {
    if (config.streamName != null) {
      throw s.invalid("stream_names", "and '" + s.key("stream_name") + "' are both set: keep one (an environment"
          + " variable such as GAME_EVENTS_FIREHOSE_STREAM sets stream_name)");
    }
    if (config.streamNames.isEmpty()) {
      throw s.invalid("stream_names", "must list at least one stream");
    }
    Set<String> seen = new HashSet<>();
    for (String name : config.streamNames) {
      if (name.isBlank()) {
        throw s.invalid("stream_names", "must not hold an empty name");
      }
      if (!seen.add(name)) {
        throw s.invalid("stream_names", "lists '" + name + "' twice");
      }
    }
  }
}
