package io.gameevents.delivery.firehose;

import io.gameevents.config.Section;

/**
 * Amazon Data Firehose. Credentials come from the AWS default provider chain (env, profile,
 * instance role), never from this file.
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
    long maxCallTimeoutMs) {

  /** The longest a call may be given after calls timed out (see RetryingWriter): 60 s unless set. */
  static final long DEFAULT_MAX_CALL_TIMEOUT_MS = 60_000;

  public FirehoseSinkConfig(String streamName, String region, String endpointOverride, int maxConcurrentCalls,
                            int maxConnections, long callTimeoutMs, long deliveryDeadlineMs, long retryBaseMs,
                            long retryMaxMs, long describeIntervalMs) {
    this(streamName, region, endpointOverride, maxConcurrentCalls, maxConnections, callTimeoutMs, deliveryDeadlineMs,
        retryBaseMs, retryMaxMs, describeIntervalMs, Math.max(callTimeoutMs, DEFAULT_MAX_CALL_TIMEOUT_MS));
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
        s.longValue("max_call_timeout_ms", DEFAULT_MAX_CALL_TIMEOUT_MS, 100, 600_000));
    s.done();
    if (config.callTimeoutMs > config.deliveryDeadlineMs) {
      // a call is only started when its whole timeout fits before the deadline (no late success)
      throw s.invalid("call_timeout_ms", "must not exceed delivery_deadline_ms (" + config.deliveryDeadlineMs + ")");
    }
    if (config.maxCallTimeoutMs < config.callTimeoutMs) {
      throw s.invalid("max_call_timeout_ms", "must be at least call_timeout_ms (" + config.callTimeoutMs + ")");
    }
    return config;
  }
}
