package io.gameevents.delivery.firehose;

import io.gameevents.config.ConfigException;
import io.gameevents.config.Section;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.SinkType;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Amazon Data Firehose, Direct PUT. */
public final class FirehoseSinkType implements SinkType<FirehoseSinkConfig> {

  public static final FirehoseSinkType TYPE = new FirehoseSinkType();

  private static final Logger LOG = LoggerFactory.getLogger(FirehoseSinkType.class);

  private FirehoseSinkType() {
  }

  @Override
  public String name() {
    return "firehose";
  }

  @Override
  public FirehoseSinkConfig parse(Section section, boolean chosen) {
    FirehoseSinkConfig config = FirehoseSinkConfig.from(section);
    if (chosen && config.streams().isEmpty()) {
      throw new ConfigException("config key 'delivery.firehose.stream_name' is required when delivery.sink is firehose");
    }
    if (chosen && config.aggregate()) {
      // Firehose cannot tell us where a stream delivers until it is described: say it once, up front
      LOG.warn("delivery.firehose.aggregate is on: each Firehose record holds several newline-separated events."
          + " Only for streams whose destination splits records at newlines (S3, Redshift); a stream that"
          + " delivers to Snowflake or OpenSearch is refused once DescribeDeliveryStream shows it.");
    }
    return config;
  }

  @Override
  public Sink create(Vertx vertx, FirehoseSinkConfig config, MeterRegistry registry) {
    return sink(vertx, config, null);
  }

  /**
   * One {@link FirehoseSink}, or a {@link SpreadingSink} over several streams.
   *
   * @param credentials null for the AWS default chain; tests pass static ones
   */
  public static Sink sink(Vertx vertx, FirehoseSinkConfig config, AwsCredentialsProvider credentials) {
    if (config.streams().size() > 1) {
      return new SpreadingSink(vertx, config, credentials);
    }
    // no stream at all: the sink's start fails, naming the missing key
    String only = config.streams().isEmpty() ? null : config.streams().get(0);
    return new FirehoseSink(vertx, config.forStream(only), credentials);
  }

  @Override
  public SinkLimits limits(FirehoseSinkConfig config) {
    return FirehoseSink.limits(config);
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
