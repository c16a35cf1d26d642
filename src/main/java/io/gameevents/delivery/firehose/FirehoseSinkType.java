package io.gameevents.delivery.firehose;

import io.gameevents.config.ConfigException;
import io.gameevents.config.Section;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.SinkType;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** Amazon Data Firehose, Direct PUT. */
public final class FirehoseSinkType implements SinkType<FirehoseSinkConfig> {

  public static final FirehoseSinkType TYPE = new FirehoseSinkType();

  private FirehoseSinkType() {
  }

  @Override
  public String name() {
    return "firehose";
  }

  @Override
  public FirehoseSinkConfig parse(Section section, boolean chosen) {
    FirehoseSinkConfig config = FirehoseSinkConfig.from(section);
    if (chosen && config.streamName() == null) {
      throw new ConfigException("config key 'delivery.firehose.stream_name' is required when delivery.sink is firehose");
    }
    return config;
  }

  @Override
  public Sink create(Vertx vertx, FirehoseSinkConfig config, MeterRegistry registry) {
    return new FirehoseSink(vertx, config);
  }

  @Override
  public SinkLimits limits(FirehoseSinkConfig config) {
    return FirehoseSink.LIMITS;
  }

  @Override
  public RetryPolicy retryPolicy(FirehoseSinkConfig config) {
    return new RetryPolicy(config.deliveryDeadlineMs(), config.callTimeoutMs(), config.maxCallTimeoutMs(),
        config.retryBaseMs(), config.retryMaxMs());
  }

  @Override
  public int concurrentWrites(FirehoseSinkConfig config) {
    return config.maxConcurrentCalls();
  }

  @Override
  public boolean remote() {
    return true;
  }
}
