package io.gameevents.delivery.firehose;

import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Firehose sinks built as {@link FirehoseSinkType} builds them, on one context as the delivery
 * verticle runs them, each behind the {@link RetryingWriter} the delivery stage puts in front, all
 * against one {@link FirehoseDouble}.
 */
final class SinkHarness {

  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSINKHARNESS", "secret-never-logged"));

  final Vertx vertx;
  final FirehoseDouble firehose;
  private final Context context;
  private final Map<Sink, RetryingWriter> writers = new HashMap<>();
  private final SimpleMeterRegistry writerMeters = new SimpleMeterRegistry();

  private SinkHarness(Vertx vertx, FirehoseDouble firehose) {
    this.vertx = vertx;
    this.firehose = firehose;
    this.context = vertx.getOrCreateContext();
  }

  static SinkHarness start(Vertx vertx) throws Exception {
    return new SinkHarness(vertx, FirehoseDouble.start(vertx).await(30, TimeUnit.SECONDS));
  }

  /** One stream, describes every second, call timeout well within the deadline (retries fit). */
  FirehoseSinkConfig config(String stream) {
    return new FirehoseSinkConfig(stream, "us-east-1", firehose.endpoint(), 4, 8, 5_000, 20_000, 5, 100, 1_000);
  }

  /** Started, or the start failure thrown. */
  Sink start(FirehoseSinkConfig config) throws Exception {
    return onContext(() -> {
      Sink sink = FirehoseSinkType.sink(vertx, config, CREDENTIALS);
      writers.put(sink, new RetryingWriter(vertx, sink, "firehose", FirehoseSinkType.TYPE.retryPolicy(config),
          writerMeters));
      return sink.start().map(sink);
    });
  }

  /** Through the retrying writer: retried until delivered or the deadline. */
  WriteResult write(Sink sink, List<String> events) throws Exception {
    return onContext(() -> writers.get(sink).write(bytes(events)));
  }

  /** One attempt of the sink itself, no retry. */
  WriteResult attempt(Sink sink, List<String> events) throws Exception {
    return onContext(() -> sink.write(bytes(events), 5_000));
  }

  void close() throws Exception {
    for (RetryingWriter writer : writers.values()) {
      onContext(writer::close);
    }
    firehose.close().await(30, TimeUnit.SECONDS);
  }

  <T> T onContext(Supplier<Future<T>> action) throws Exception {
    Promise<T> outcome = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(outcome));
    return outcome.future().await(60, TimeUnit.SECONDS);
  }

  /** Every event of every stored record of the stream, in arrival order ('\n' removed). */
  List<String> storedEvents(String stream) {
    List<String> events = new ArrayList<>();
    for (FirehoseDouble.Call call : firehose.putRecordBatchCalls()) {
      if (!stream.equals(call.streamName())) {
        continue;
      }
      for (int r = 0; r < call.records().size(); r++) {
        if (call.stored().get(r)) {
          events.addAll(lines(call.records().get(r)));
        }
      }
    }
    return events;
  }

  /** The events of one record; fails if the record does not end with '\n' or holds an empty line. */
  static List<String> lines(String record) {
    if (!record.endsWith("\n")) {
      throw new AssertionError("record does not end with a newline: " + record);
    }
    List<String> lines = List.of(record.substring(0, record.length() - 1).split("\n", -1));
    if (lines.contains("")) {
      throw new AssertionError("record holds an empty line");
    }
    return lines;
  }

  static List<byte[]> bytes(List<String> events) {
    return events.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList();
  }
}
