package io.gameevents.delivery.firehose;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two measured timeout faults, reproduced with the real SDK client against the double: a late
 * success (a retry cut short by the delivery deadline, stored although its client was told 503),
 * and a Firehose slower than the call timeout getting every record stored again and again.
 */
class FirehoseCallTimeoutTest {

  private Vertx vertx;
  private Context context;
  private FirehoseDouble firehose;
  private FirehoseSink sink;
  private RetryingWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (writer != null) {
      onContext(writer::close);
    }
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  /**
   * Deadline 1 s: the first call is answered 500 after 600 ms. Before the fix a retry went out with
   * the 400 ms left as its timeout; the double stored it on arrival and answered after 600 ms, so the
   * write was reported not delivered (503) with the records stored. Now no attempt starts unless its
   * whole call timeout fits, so a write reported not delivered was sent once and refused.
   */
  @Test
  void aWriteReportedNotDeliveredHasNoCallStillInFlight() throws Exception {
    firehose.latencyMs(600).failNextCalls(1, 500, "InternalFailure");
    start(config(1_000, 1_000), false);

    WriteResult result = onContext(() -> writer.write(records("late", 10)));

    assertThat(result.deliveredCount()).isZero();
    assertThat(firehose.putRecordBatchCalls()).hasSize(1);
    assertThat(firehose.records()).as("nothing stored for a write its clients are told failed").isEmpty();
  }

  /**
   * Firehose answers after 450 ms, the call timeout is 300 ms. The first write's call times out
   * after Firehose stored it, so its records are stored twice (at-least-once); the timeout then
   * doubles, and every later write is confirmed by its first call: stored once.
   */
  @Test
  void aFirehoseSlowerThanTheCallTimeoutStoresOnlyTheFirstCallTwice() throws Exception {
    firehose.latencyMs(450);
    start(config(300, 20_000), true);

    WriteResult first = onContext(() -> writer.write(records("first", 5)));
    WriteResult second = onContext(() -> writer.write(records("second", 5)));
    WriteResult third = onContext(() -> writer.write(records("third", 5)));

    assertThat(List.of(first, second, third)).allSatisfy(r -> assertThat(r.complete()).isTrue());
    assertThat(firehose.count("{\"n\":\"first-0\"}\n")).isEqualTo(2);
    assertThat(firehose.count("{\"n\":\"second-0\"}\n")).isEqualTo(1);
    assertThat(firehose.count("{\"n\":\"third-4\"}\n")).isEqualTo(1);
    assertThat(firehose.putRecordBatchCalls()).hasSize(4);
    assertThat(writer.attemptTimeoutMs()).isEqualTo(600);
  }

  /**
   * The measured readiness lag: a describe that failed during an outage kept the sink not ready
   * for a whole describe interval (60 s) after writes succeeded again. A confirmed write now counts
   * as the latest evidence.
   */
  @Test
  void aConfirmedWriteEndsTheNotReadyOfADescribeThatFailedDuringAnOutage() throws Exception {
    firehose.outage(FirehoseDouble.Outage.UNAVAILABLE).await(60, SECONDS);
    start(config(1_000, 20_000), false);
    assertThat(sink.health().ready()).isFalse();
    assertThat(sink.health().detail()).contains("ServiceUnavailableException");

    firehose.outage(FirehoseDouble.Outage.NONE).await(60, SECONDS);
    WriteResult written = onContext(() -> writer.write(records("back", 3)));

    assertThat(written.complete()).isTrue();
    assertThat(sink.health().ready()).isTrue();
    assertThat(sink.health().detail()).startsWith("stream game-events-test accepts writes (the last describe: ");
  }

  private void start(FirehoseSinkConfig config, boolean untilConfirmed) throws Exception {
    RetryPolicy policy = FirehoseSinkType.TYPE.retryPolicy(config);
    sink = onContext(() -> {
      FirehoseSink created = new FirehoseSink(vertx, config,
          StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")));
      writer = new RetryingWriter(vertx, created, "firehose", untilConfirmed ? policy.untilConfirmed() : policy,
          new SimpleMeterRegistry());
      return created.start().map(created);
    });
  }

  private FirehoseSinkConfig config(long callTimeoutMs, long deadlineMs) {
    return new FirehoseSinkConfig(FirehoseDouble.STREAM, "us-east-1", firehose.endpoint(), 1, 4, callTimeoutMs,
        deadlineMs, 1, 5, 60_000);
  }

  private <T> T onContext(Supplier<Future<T>> action) throws Exception {
    Promise<T> outcome = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(outcome));
    return outcome.future().await(60, TimeUnit.SECONDS);
  }

  private static List<byte[]> records(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> ("{\"n\":\"" + prefix + "-" + i + "\"}")
        .getBytes(StandardCharsets.UTF_8)).toList();
  }
}
