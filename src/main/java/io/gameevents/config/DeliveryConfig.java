package io.gameevents.config;

import java.util.Set;

/** The delivery stage: batching, back-pressure, and the sink with its own section. */
public record DeliveryConfig(
    int instances,
    String sink,
    int maxBatchRecords,
    int maxBatchBytes,
    long lingerMs,
    int maxInFlightEvents,
    long retryAfterSeconds,
    FileSinkConfig file,
    FirehoseSinkConfig firehose) {

  public static final Set<String> SINKS = Set.of("file", "firehose");

  static DeliveryConfig from(Section s) {
    DeliveryConfig config = new DeliveryConfig(
        s.intValue("instances", 1, 1, 64),
        s.oneOf("sink", "file", SINKS),
        s.intValue("max_batch_records", 500, 1, 100_000),
        s.intValue("max_batch_bytes", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
        s.longValue("linger_ms", 0, 0, 60_000),
        s.intValue("max_in_flight_events", 20_000, 1, 10_000_000),
        s.longValue("retry_after_seconds", 1, 1, 3600),
        FileSinkConfig.from(s.section("file")),
        FirehoseSinkConfig.from(s.section("firehose")));
    s.done();
    if ("firehose".equals(config.sink) && config.firehose.streamName() == null) {
      throw new ConfigException("config key 'delivery.firehose.stream_name' is required when delivery.sink is firehose");
    }
    return config;
  }
}
