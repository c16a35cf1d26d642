package io.gameevents.delivery;

import io.gameevents.delivery.WriteResult.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The delivery-level retry loop in front of one {@link Sink}: re-sends only the records an attempt
 * did not confirm, with full-jitter backoff, until all are confirmed or the policy's deadline.
 * Sinks only build their calls and classify their errors ({@link WriteResult.Failure}).
 *
 * <p>An attempt is only started when its whole timeout fits before the deadline. An attempt cut
 * short by the deadline is exactly the call whose records a destination stores while the client is
 * told 503 (a late success); this way every attempt is answered, or timed out, before the deadline.
 * The attempt timeout doubles after an attempt timed out (up to the policy's maximum) and falls back
 * once attempts are answered quickly again, so a destination slower than the configured timeout is
 * not sent every record again and again.
 *
 * <p>Runs on the owning verticle's context.
 */
public final class RetryingWriter {

  /** How long close() lets an attempt in flight answer before its write ends anyway. */
  static final long CLOSE_GRACE_MS = 800;

  private static final Logger log = LoggerFactory.getLogger(RetryingWriter.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Vertx vertx;
  private final Sink sink;
  private final String sinkName;
  private final RetryPolicy policy;
  private final Backoff backoff;
  private final Set<Write> active = new HashSet<>();
  private final Counter retried;
  private final Counter notDelivered;
  private long attemptTimeoutMs;
  private int quickAnswers;
  private long lastWarnNanos;
  private boolean closing;
  private final LongSupplier nanoTime;
  // read by SinkStatus from any thread (the metric); written on the owning context only
  private volatile boolean failing;
  /** When the current run of attempts that confirmed nothing began; meaningful while {@link #failing}. */
  private volatile long failingSinceNanos;
  private volatile String lastFailure = "";
  private volatile int probesInFlight;

  public RetryingWriter(Vertx vertx, Sink sink, String sinkName, RetryPolicy policy, MeterRegistry registry) {
    this(vertx, sink, sinkName, policy, registry, System::nanoTime);
  }

  /** @param nanoTime the clock of "failing since" (tests move it by hand) */
  RetryingWriter(Vertx vertx, Sink sink, String sinkName, RetryPolicy policy, MeterRegistry registry,
                 LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.vertx = vertx;
    this.sink = sink;
    this.sinkName = sinkName;
    this.policy = policy;
    this.backoff = new Backoff(policy.backoffBaseMs(), policy.backoffMaxMs());
    this.attemptTimeoutMs = policy.attemptTimeoutMs();
    this.retried = Counter.builder("game_events_sink_records_retried").tag("sink", sinkName)
        .description("Records sent again after an attempt did not confirm them").register(registry);
    this.notDelivered = Counter.builder("game_events_sink_records_not_delivered").tag("sink", sinkName)
        .description("Records given up on (deadline, sink refusing, shutdown): their clients got 503")
        .register(registry);
  }

  public Sink sink() {
    return sink;
  }

  /** The sink's name, for logs and metrics ("firehose", "file", "spool"). */
  public String sinkName() {
    return sinkName;
  }

  public SinkLimits limits() {
    return sink.limits();
  }

  /** Delivers the records; never fails. With a deadline, what is unconfirmed by then is not delivered. */
  public Future<WriteResult> write(List<byte[]> records) {
    return write(records, false);
  }

  /**
   * One attempt only, whatever the policy: the circuit breaker's probe, which must find out quickly
   * whether the sink is back rather than wait a delivery deadline.
   */
  public Future<WriteResult> writeOnce(List<byte[]> records) {
    return write(records, true);
  }

  private Future<WriteResult> write(List<byte[]> records, boolean once) {
    if (records.isEmpty()) {
      return Future.succeededFuture(WriteResult.allDelivered(0));
    }
    if (closing) {
      notDelivered.increment(records.size());
      return Future.succeededFuture(WriteResult.noneDelivered(records.size(), Failure.REFUSED, "sink closed"));
    }
    Write write = new Write(records, once);
    active.add(write);
    if (once) {
      probesInFlight++;
    }
    write.attempt();
    return write.done.future();
  }

  /** Whether every attempt since {@link #failingForMs} ago confirmed nothing (false before the first). */
  public boolean failing() {
    return failing;
  }

  /** How long every attempt has confirmed nothing; 0 while the last attempt confirmed records. */
  public long failingForMs() {
    return failing ? TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - failingSinceNanos) : 0;
  }

  /** Why the last attempt that confirmed nothing failed (for operators). */
  public String lastFailure() {
    return lastFailure;
  }

  /** {@link #writeOnce} writes not answered yet: the breaker's probes. */
  public int probesInFlight() {
    return probesInFlight;
  }

  /** The current attempt timeout (grown after timeouts). */
  public long attemptTimeoutMs() {
    return attemptTimeoutMs;
  }

  /**
   * Starts no attempt from now on: writes waiting for a retry end now, writes with an attempt in
   * flight when it is answered or after {@link #CLOSE_GRACE_MS}; then the sink is closed.
   */
  public Future<Void> close() {
    closing = true;
    List<Future<WriteResult>> ending = new ArrayList<>();
    for (Write write : List.copyOf(active)) {
      write.stopWaiting();
      ending.add(write.done.future());
    }
    return Future.join(ending).transform(done -> sink.close());
  }

  private void answeredIn(long elapsedMs, boolean timedOut) {
    if (timedOut) {
      long grown = Math.min(policy.maxAttemptTimeoutMs(), attemptTimeoutMs * 2);
      if (grown != attemptTimeoutMs) {
        warnRateLimited("the " + sinkName + " sink did not answer within " + attemptTimeoutMs
            + " ms; attempts now wait up to " + grown + " ms");
      }
      attemptTimeoutMs = grown;
      quickAnswers = 0;
    } else if (attemptTimeoutMs > policy.attemptTimeoutMs() && elapsedMs < attemptTimeoutMs / 4
        && ++quickAnswers >= 20) {
      attemptTimeoutMs = Math.max(policy.attemptTimeoutMs(), attemptTimeoutMs / 2);
      quickAnswers = 0;
    }
  }

  private void track(WriteResult attempt) {
    if (attempt.deliveredCount() > 0) {
      failing = false;
    } else if (!closing) {
      lastFailure = attempt.detail();
      if (!failing) {
        failingSinceNanos = nanoTime.getAsLong();
        failing = true;
      }
    }
  }

  private void warnRateLimited(String message) {
    long now = System.nanoTime();
    if (lastWarnNanos == 0 || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
      lastWarnNanos = now;
      log.warn(message);
    }
  }

  /** One write: its records, which of them are still unconfirmed, and its retry state. */
  private final class Write {
    final List<byte[]> records;
    final WriteResult result;
    final long startedNanos = System.nanoTime();
    final Promise<WriteResult> done = Promise.promise();
    final boolean once;
    List<Integer> pending;
    int attempts;
    long retryTimer = -1;
    long graceTimer = -1;
    boolean inAttempt;
    boolean finished;

    Write(List<byte[]> records, boolean once) {
      this.records = records;
      this.once = once;
      this.result = WriteResult.of(records.size());
      this.pending = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        pending.add(i);
      }
    }

    void attempt() {
      if (closing) {
        finish(Failure.REFUSED, "sink closed before it confirmed them");
        return;
      }
      long timeoutMs = attemptTimeoutMs;
      if (attempts > 0 && policy.hasDeadline() && remainingMs() < timeoutMs) {
        finish(Failure.TIMED_OUT, "not confirmed within the delivery deadline");
        return;
      }
      List<byte[]> batch = new ArrayList<>(pending.size());
      for (int index : pending) {
        batch.add(records.get(index));
      }
      if (attempts++ > 0) {
        retried.increment(batch.size());
      }
      inAttempt = true;
      long attemptStarted = System.nanoTime();
      Future<WriteResult> answer;
      try {
        answer = sink.write(batch, timeoutMs);
      } catch (RuntimeException e) {
        answer = Future.succeededFuture(WriteResult.noneDelivered(batch.size(), Failure.RETRY, e.toString()));
      }
      answer.onComplete(outcome -> {
        inAttempt = false;
        if (finished) {
          return; // ended by close(): the result was handed out already and must not change
        }
        WriteResult attempt = outcome.succeeded() ? outcome.result()
            : WriteResult.noneDelivered(batch.size(), Failure.RETRY, String.valueOf(outcome.cause()));
        answeredIn(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptStarted),
            attempt.failure() == Failure.TIMED_OUT);
        track(attempt);
        onAttempt(attempt);
      });
    }

    void onAttempt(WriteResult attempt) {
      List<Integer> failed = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        if (attempt.delivered(i)) {
          result.markDelivered(pending.get(i));
        } else {
          failed.add(pending.get(i));
        }
      }
      pending = failed;
      if (pending.isEmpty()) {
        finish(null, null);
        return;
      }
      Failure failure = attempt.failure();
      if (closing || once || (failure == Failure.REFUSED && policy.hasDeadline()) || policy.deadlineMs() == 0) {
        finish(failure, attempt.detail());
        return;
      }
      long delayMs = failure == Failure.REFUSED ? policy.backoffMaxMs() : backoff.delayMs(attempts - 1);
      if (policy.hasDeadline() && delayMs + attemptTimeoutMs > remainingMs()) {
        finish(failure, attempt.detail() + "; no time left before the delivery deadline to try again");
        return;
      }
      retryTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
        retryTimer = -1;
        attempt();
      });
    }

    void stopWaiting() {
      if (finished) {
        return;
      }
      if (retryTimer != -1) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
        finish(Failure.REFUSED, "sink closed before it confirmed them");
      } else if (inAttempt && graceTimer == -1) {
        graceTimer = vertx.setTimer(CLOSE_GRACE_MS, id -> finish(Failure.REFUSED, "sink closed before it confirmed them"));
      }
    }

    long remainingMs() {
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
      return policy.deadlineMs() - elapsedMs;
    }

    void finish(Failure failure, String detail) {
      if (finished) {
        return;
      }
      finished = true;
      if (graceTimer != -1) {
        vertx.cancelTimer(graceTimer);
      }
      int missing = result.size() - result.deliveredCount();
      if (missing > 0) {
        result.failed(failure == null ? Failure.RETRY : failure, detail);
        notDelivered.increment(missing);
        if (failure != Failure.REFUSED || closing) {
          warnRateLimited(sinkName + " sink: " + missing + " of " + result.size() + " records not delivered: "
              + result.detail());
        }
      }
      active.remove(this);
      if (once) {
        probesInFlight--;
      }
      done.complete(result);
    }
  }
}
