package io.gameevents.delivery;

import io.gameevents.delivery.WriteResult.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry loop against a scripted sink: what is re-sent, when an attempt may start, how timeouts grow. */
class RetryingWriterTest {

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void onlyTheRecordsAnAttemptDidNotConfirmAreSentAgain() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    sink.script.add(records -> Future.succeededFuture(confirmEvenIndexes(records.size())));
    RetryingWriter writer = writer(sink, new RetryPolicy(10_000, 1_000, 1_000, 1, 5));

    WriteResult result = write(writer, records(6));

    assertThat(result.complete()).isTrue();
    assertThat(sink.attempts).containsExactly(List.of("r0", "r1", "r2", "r3", "r4", "r5"), List.of("r1", "r3", "r5"));
    assertThat(sink.timeouts).containsExactly(1_000L, 1_000L);
    assertThat(registry.get("game_events_sink_records_retried").counter().count()).isEqualTo(3);
  }

  /**
   * The late success the issue measured: with a deadline of 1 s, the first attempt fails after
   * 600 ms; a retry would have 400 ms left, less than its 1 s timeout, and a destination that stores
   * on arrival and answers later would then hold records whose client is told 503. No such attempt
   * is started: what is reported not delivered was never sent a second time.
   */
  @Test
  void anAttemptWhoseTimeoutDoesNotFitBeforeTheDeadlineIsNotStarted() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    sink.script.add(records -> later(600, WriteResult.noneDelivered(records.size(), Failure.RETRY, "HTTP 500")));
    RetryingWriter writer = writer(sink, new RetryPolicy(1_000, 1_000, 1_000, 1, 5));

    WriteResult result = write(writer, records(3));

    assertThat(result.deliveredCount()).isZero();
    assertThat(result.failure()).isEqualTo(Failure.RETRY);
    assertThat(sink.attempts).hasSize(1);
    assertThat(registry.get("game_events_sink_records_not_delivered").counter().count()).isEqualTo(3);
  }

  @Test
  void aRefusingSinkEndsAWriteWithADeadlineAtOnce() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    sink.script.add(records -> Future.succeededFuture(
        WriteResult.noneDelivered(records.size(), Failure.REFUSED, "stream not found")));
    RetryingWriter writer = writer(sink, new RetryPolicy(20_000, 1_000, 1_000, 1, 5));

    WriteResult result = write(writer, records(2));

    assertThat(result.failure()).isEqualTo(Failure.REFUSED);
    assertThat(result.detail()).isEqualTo("stream not found");
    assertThat(sink.attempts).hasSize(1);
  }

  @Test
  void withoutADeadlineRecordsAreRetriedThroughRefusalsUntilConfirmed() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    for (int i = 0; i < 3; i++) {
      sink.script.add(records -> Future.succeededFuture(
          WriteResult.noneDelivered(records.size(), Failure.REFUSED, "access denied")));
    }
    RetryingWriter writer = writer(sink, new RetryPolicy(20_000, 1_000, 1_000, 1, 20).untilConfirmed());

    WriteResult result = write(writer, records(4));

    assertThat(result.complete()).isTrue();
    assertThat(sink.attempts).hasSize(4);
  }

  /**
   * A destination slower than the attempt timeout: each timed-out attempt may have stored the
   * records, so the timeout doubles; once attempts are answered within it they stay answered.
   */
  @Test
  void theAttemptTimeoutDoublesAfterATimeoutUpToItsMaximum() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    for (int i = 0; i < 3; i++) {
      sink.script.add(records -> Future.succeededFuture(
          WriteResult.noneDelivered(records.size(), Failure.TIMED_OUT, "no answer")));
    }
    RetryingWriter writer = writer(sink, new RetryPolicy(RetryPolicy.UNTIL_CONFIRMED, 100, 300, 1, 5));

    WriteResult first = write(writer, records(1));
    WriteResult second = write(writer, records(1));

    assertThat(first.complete()).isTrue();
    assertThat(second.complete()).isTrue();
    assertThat(sink.timeouts).containsExactly(100L, 200L, 300L, 300L, 300L);
    assertThat(writer.attemptTimeoutMs()).isEqualTo(300);
  }

  @Test
  void closeEndsAWriteWaitingForItsRetryWithoutAnotherAttempt() throws Exception {
    ScriptedSink sink = new ScriptedSink();
    sink.script.add(records -> Future.succeededFuture(
        WriteResult.noneDelivered(records.size(), Failure.RETRY, "HTTP 500")));
    RetryingWriter writer = writer(sink, new RetryPolicy(60_000, 1_000, 1_000, 30_000, 30_000));
    Promise<WriteResult> written = Promise.promise();
    Promise<Void> closed = Promise.promise();

    vertx.runOnContext(v -> {
      writer.write(records(2)).onComplete(written);
      vertx.setTimer(50, id -> writer.close().onComplete(closed)); // the write now waits its backoff
    });

    WriteResult result = written.future().await(5, TimeUnit.SECONDS);
    closed.future().await(5, TimeUnit.SECONDS);
    assertThat(result.failure()).isEqualTo(Failure.REFUSED);
    assertThat(sink.attempts).hasSize(1);
    assertThat(sink.closed).isTrue();
  }

  // ---- helpers ----

  private RetryingWriter writer(ScriptedSink sink, RetryPolicy policy) throws Exception {
    return onContext(() -> Future.succeededFuture(new RetryingWriter(vertx, sink, "test", policy, registry)));
  }

  private WriteResult write(RetryingWriter writer, List<byte[]> records) throws Exception {
    return onContext(() -> writer.write(records));
  }

  private <T> T onContext(java.util.function.Supplier<Future<T>> action) throws Exception {
    Promise<T> outcome = Promise.promise();
    vertx.runOnContext(v -> action.get().onComplete(outcome));
    return outcome.future().await(30, TimeUnit.SECONDS);
  }

  private Future<WriteResult> later(long ms, WriteResult result) {
    Promise<WriteResult> answer = Promise.promise();
    vertx.setTimer(ms, id -> answer.complete(result));
    return answer.future();
  }

  private static WriteResult confirmEvenIndexes(int size) {
    WriteResult result = WriteResult.of(size);
    for (int i = 0; i < size; i += 2) {
      result.markDelivered(i);
    }
    return result.failed(Failure.RETRY, "odd records refused");
  }

  private static Future<WriteResult> confirmedFuture(int size) {
    return Future.succeededFuture(WriteResult.allDelivered(size));
  }

  private static List<byte[]> records(int count) {
    return IntStream.range(0, count).mapToObj(i -> ("r" + i).getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** Answers attempts from a script; once it is used up, confirms everything. */
  private static final class ScriptedSink implements Sink {
    final Deque<Function<List<byte[]>, Future<WriteResult>>> script = new ArrayDeque<>();
    final List<List<String>> attempts = new CopyOnWriteArrayList<>();
    final List<Long> timeouts = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public SinkLimits limits() {
      return new SinkLimits(500, 4_000_000, 1_000);
    }

    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
      List<String> texts = new ArrayList<>();
      records.forEach(r -> texts.add(new String(r, StandardCharsets.UTF_8)));
      attempts.add(texts);
      timeouts.add(timeoutMs);
      Function<List<byte[]>, Future<WriteResult>> next = script.poll();
      return next == null ? confirmedFuture(records.size()) : next.apply(records);
    }

    @Override
    public SinkHealth health() {
      return SinkHealth.ready("ok");
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }
}
