package io.gameevents.delivery.firehose;

import io.gameevents.config.ConfigException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClientBuilder;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds the SDK client of one sink. */
final class FirehoseClients {

  /**
   * The client and the Netty threads it runs on. The sink owns the threads so that close() can stop
   * them without the SDK's fixed 2 s quiet period. A short quiet period remains: a call abandoned by
   * close() still releases its connection on these threads, which would otherwise log a
   * RejectedExecutionException.
   */
  record Handle(FirehoseAsyncClient client, SdkEventLoopGroup eventLoops) {

    /** Blocking: call it off the event loop. */
    void close() {
      client.close();
      eventLoops.eventLoopGroup().shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(6_000);
    }
  }

  /** Netty threads per sink: a sink makes at most max_concurrent_calls calls at once, I/O only. */
  private static final int NETTY_THREADS = 2;

  private FirehoseClients() {
  }

  static Handle create(FirehoseSinkConfig config, AwsCredentialsProvider credentials) {
    if (config.streamName() == null || config.streamName().isBlank()) {
      throw new ConfigException("config key 'delivery.firehose.stream_name' is required");
    }
    if (config.region() == null || config.region().isBlank()) {
      throw new ConfigException("config key 'delivery.firehose.region' must not be empty");
    }
    Duration callTimeout = Duration.ofMillis(config.callTimeoutMs());
    URI endpoint = config.endpointOverride() == null || config.endpointOverride().isBlank()
        ? null : endpoint(config.endpointOverride());
    SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder().numberOfThreads(NETTY_THREADS).build();
    FirehoseAsyncClientBuilder builder = FirehoseAsyncClient.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .maxConcurrency(config.maxConnections())
            .connectionAcquisitionTimeout(callTimeout)
            .eventLoopGroup(eventLoops))
        // Completions only hop onto the sink's Vert.x context, so no extra SDK completion thread pool.
        .asyncConfiguration(async -> async.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
            Runnable::run))
        .overrideConfiguration(override -> override
            // Retries belong to FirehoseSink's loop alone: it re-sends only the records Firehose did not
            // confirm, with jittered backoff, until the write's delivery deadline. SDK retries would
            // re-send whole batches (records already stored included) and stack on top of ours.
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(callTimeout)
            .apiCallAttemptTimeout(callTimeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    try {
      return new Handle(builder.build(), eventLoops);
    } catch (RuntimeException e) {
      eventLoops.eventLoopGroup().shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static URI endpoint(String text) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException("config key 'delivery.firehose.endpoint_override' must be an http(s) URL (was '"
          + text + "')");
    }
  }
}
