package io.gameevents.delivery;

import io.gameevents.delivery.DeliveryConfig.CircuitBreakerConfig;
import io.gameevents.delivery.SinkState.BreakerOpen;
import io.gameevents.delivery.SinkState.Failing;
import io.gameevents.delivery.SinkState.Fatal;
import io.gameevents.delivery.SinkState.Probing;
import io.gameevents.delivery.SinkState.Writing;
import io.gameevents.delivery.WriteResult.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transitions of a sink's one state, driven by real writes through a {@link RetryingWriter} against a
 * sink whose answers and own check the test sets, on a clock the test moves (no waiting on time).
 */
class SinkStatusTest {

  private static final CircuitBreakerConfig BREAKER = new CircuitBreakerConfig(3_000, 1_000);
  private static final RetryPolicy ONE_ATTEMPT = new RetryPolicy(0, 1_000, 1_000, 1, 5);

  private Vertx vertx;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final TapSink sink = new TapSink();
  private RetryingWriter writer;
  private SinkStatus status;
  private CircuitBreaker breaker;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    writer = onContext(() -> Future.succeededFuture(new RetryingWriter(vertx, sink, "test", ONE_ATTEMPT,
        new SimpleMeterRegistry(), nanos::get)));
    status = SinkStatus.withBreaker(writer, "test", BREAKER);
    breaker = new CircuitBreaker(status, nanos::get);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aConfirmedWriteIsWriting() throws Exception {
    write();

    assertThat(status.state()).isEqualTo(new Writing("ok"));
    assertThat(status.state().ready()).isTrue();
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.PASS);
  }

  @Test
  void aFailingWriteIsFailingButStillReadyUntilTheBreakerOpens() throws Exception {
    sink.answer = Answer.FAIL;
    write();
    advanceMs(2_999);

    assertThat(status.state()).isEqualTo(new Failing(2_999, "HTTP 503", "ok"));
    assertThat(status.state().ready()).isTrue();
    assertThat(status.state().detail()).isEqualTo("ok; no write has succeeded for 2999 ms: HTTP 503");
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.PASS);
  }

  @Test
  void theBreakerOpensOnceEveryWriteFailedForOpenAfterMs() throws Exception {
    sink.answer = Answer.FAIL;
    write();
    advanceMs(3_000);

    assertThat(status.state()).isEqualTo(new BreakerOpen("test", 3_000, "HTTP 503", true, null));
    assertThat(status.state().ready()).isFalse();
    assertThat(status.state().detail()).isEqualTo("no test write has succeeded for 3 s: HTTP 503; requests get"
        + " 503 at once until a probe write succeeds");
    assertThat(breaker.admit()).as("the first batch is the probe").isEqualTo(CircuitBreaker.Admission.PROBE);
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.REJECT);
    advanceMs(999);
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.REJECT);
    advanceMs(1);
    assertThat(breaker.admit()).as("one probe per interval").isEqualTo(CircuitBreaker.Admission.PROBE);
  }

  @Test
  void aProbeInFlightIsProbingAndItsSuccessIsWritingAgain() throws Exception {
    sink.answer = Answer.FAIL;
    write();
    advanceMs(5_000);
    sink.answer = Answer.HOLD;
    Future<WriteResult> probe = onContext(() -> Future.succeededFuture(writer.writeOnce(records())));

    assertThat(status.state()).isEqualTo(new Probing(new BreakerOpen("test", 5_000, "HTTP 503", true, null)));
    assertThat(status.state().ready()).isFalse();
    assertThat(status.state().detail()).endsWith("; a probe write is in flight");

    onContext(() -> {
      sink.held.complete(WriteResult.allDelivered(1));
      return probe;
    });
    assertThat(status.state()).isEqualTo(new Writing("ok"));
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.PASS);
  }

  @Test
  void aFailedProbeLeavesTheBreakerOpen() throws Exception {
    sink.answer = Answer.FAIL;
    write();
    advanceMs(5_000);
    onContext(() -> writer.writeOnce(records()));

    assertThat(status.state()).isInstanceOf(BreakerOpen.class);
    assertThat(status.state().label()).isEqualTo("breaker_open");
  }

  @Test
  void theSinksOwnCheckFailingIsFatalAndItsRecoveryWritingAgain() throws Exception {
    write();
    sink.health = SinkHealth.notReady("stream s not found");

    assertThat(status.state()).isEqualTo(new Fatal("stream s not found"));
    assertThat(status.state().ready()).isFalse();
    assertThat(breaker.admit()).as("writes still find out").isEqualTo(CircuitBreaker.Admission.PASS);

    sink.health = SinkHealth.ready("ok");
    assertThat(status.state()).isEqualTo(new Writing("ok"));
  }

  @Test
  void anOpenBreakerWinsOverTheSinksOwnCheckAndNamesIt() throws Exception {
    sink.answer = Answer.FAIL;
    sink.health = SinkHealth.notReady("cannot reach Firehose: refused");
    write();
    advanceMs(3_000);

    assertThat(status.state().detail()).isEqualTo("no test write has succeeded for 3 s: HTTP 503; the sink"
        + " reports: cannot reach Firehose: refused; requests get 503 at once until a probe write succeeds");
    assertThat(breaker.admit()).isEqualTo(CircuitBreaker.Admission.PROBE);
  }

  @Test
  void theForwardersStatusRefusesNothing() throws Exception {
    SinkStatus forwarder = SinkStatus.withoutBreaker(writer, "test", 3_000);
    sink.answer = Answer.FAIL;
    write();
    advanceMs(3_000);

    assertThat(forwarder.state().ready()).isFalse();
    assertThat(forwarder.state().detail()).isEqualTo("no test write has succeeded for 3 s: HTTP 503");
  }

  // ---- helpers ----

  private enum Answer { CONFIRM, FAIL, HOLD }

  private void write() throws Exception {
    onContext(() -> writer.write(records()));
  }

  private void advanceMs(long ms) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private static List<byte[]> records() {
    return List.of("r".getBytes(StandardCharsets.UTF_8));
  }

  private <T> T onContext(Supplier<Future<T>> action) throws Exception {
    Promise<T> outcome = Promise.promise();
    vertx.runOnContext(v -> action.get().onComplete(outcome));
    return outcome.future().await(30, TimeUnit.SECONDS);
  }

  /** Answers each attempt as {@link #answer} says; reports {@link #health} as its own check. */
  private static final class TapSink implements Sink {
    volatile Answer answer = Answer.CONFIRM;
    volatile SinkHealth health = SinkHealth.ready("ok");
    volatile Promise<WriteResult> held;

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
      return switch (answer) {
        case CONFIRM -> Future.succeededFuture(WriteResult.allDelivered(records.size()));
        case FAIL -> Future.succeededFuture(WriteResult.noneDelivered(records.size(), Failure.RETRY, "HTTP 503"));
        case HOLD -> (held = Promise.promise()).future();
      };
    }

    @Override
    public SinkHealth health() {
      return health;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
