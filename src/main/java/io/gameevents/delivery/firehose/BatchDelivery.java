package io.gameevents.delivery.firehose;

import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.firehose.FirehoseErrors.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link FirehoseSink#write}: sends the records, then re-sends only those Firehose did not
 * confirm, with backoff, until they are all confirmed or the write's delivery deadline passes.
 * Runs entirely on the sink's context.
 */
final class BatchDelivery {

  /** How long close() lets a call in flight answer before its write ends anyway. */
  static final long CLOSE_GRACE_MS = 800;

  private static final String DEADLINE = "not confirmed within delivery_deadline_ms";
  private static final String CLOSED = "sink closed before Firehose confirmed them";

  private final FirehoseSink sink;
  private final List<SdkBytes> data;
  private final WriteResult result;
  private final long deadlineNanos;
  private final Promise<WriteResult> done = Promise.promise();

  /** Indexes (into {@link #data}) of records not confirmed yet, in write order. */
  private List<Integer> pending;
  private int retries;
  private long retryTimer = -1;
  private long closeGraceTimer = -1;
  private boolean inCall;
  private boolean finished;
  /**
   * Sent although the sink refuses writes, to find out whether its fatal error is gone (see
   * FirehoseSink): only the first call may bypass the fatal state.
   */
  private boolean probe;

  BatchDelivery(FirehoseSink sink, List<SdkBytes> data, long deadlineNanos, boolean probe) {
    this.sink = sink;
    this.probe = probe;
    this.data = data;
    this.result = WriteResult.of(data.size());
    this.deadlineNanos = deadlineNanos;
    this.pending = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      pending.add(i);
    }
  }

  Future<WriteResult> start() {
    send();
    return done.future();
  }

  /**
   * The sink is closing: a write waiting for its next retry ends now; one in a call ends when the
   * call is answered or {@link #CLOSE_GRACE_MS} has passed, whichever comes first (the SDK call is
   * then abandoned: the client is closed under it).
   */
  void stopWaiting() {
    if (finished) {
      return;
    }
    if (retryTimer != -1) {
      sink.vertx().cancelTimer(retryTimer);
      retryTimer = -1;
      finish(CLOSED);
    } else if (inCall && closeGraceTimer == -1) {
      closeGraceTimer = sink.vertx().setTimer(CLOSE_GRACE_MS, id -> finish(CLOSED));
    }
  }

  private void send() {
    long remainingMs = remainingMs();
    if (sink.isClosing()) {
      finish(CLOSED);
      return;
    }
    if (sink.refusesWrites() && !probe) {
      finish(null); // the fatal error was logged once when it happened
      return;
    }
    if (remainingMs <= 0) {
      finish(DEADLINE);
      return;
    }
    List<Record> records = new ArrayList<>(pending.size());
    for (int index : pending) {
      records.add(Record.builder().data(data.get(index)).build());
    }
    if (retries > 0) {
      sink.counters().recordsRetried.add(pending.size());
    }
    inCall = true;
    // never wait for an answer past the deadline: whatever is unconfirmed then is reported not delivered
    sink.putRecordBatch(records, Math.min(sink.config().callTimeoutMs(), remainingMs))
        .onComplete(answer -> {
          inCall = false;
          boolean wasProbe = probe;
          probe = false;
          if (finished) {
            return; // ended by close(): the result was handed out already and must not change
          }
          if (answer.failed() && sink.isClosing()) {
            finish(CLOSED); // most likely the client closing under the call, not Firehose's doing
            return;
          }
          if (answer.succeeded()) {
            if (wasProbe) {
              sink.leaveFatalAfterProbe();
            }
            onAnswer(answer.result());
          } else {
            onCallFailed(FirehoseErrors.classify(answer.cause()));
          }
        });
  }

  private void onAnswer(PutRecordBatchResponse response) {
    List<PutRecordBatchResponseEntry> entries = response.requestResponses();
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      PutRecordBatchResponseEntry entry = i < entries.size() ? entries.get(i) : null;
      // only a RecordId proves Firehose stored the record
      if (entry != null && entry.recordId() != null && entry.errorCode() == null) {
        result.markDelivered(pending.get(i));
      } else {
        failed.add(pending.get(i));
      }
    }
    sink.counters().recordsSent.add(pending.size() - failed.size());
    pending = failed;
    if (pending.isEmpty()) {
      finish(null);
    } else {
      retryLater();
    }
  }

  private void onCallFailed(Failure failure) {
    switch (failure.kind()) {
      case FATAL -> {
        sink.enterFatal(failure);
        finish(null);
      }
      case THROTTLED -> {
        sink.counters().callsThrottled.add(1);
        retryLater();
      }
      case RETRY -> retryLater();
      case GIVE_UP -> finish(failure.detail());
    }
  }

  private void retryLater() {
    if (sink.isClosing()) {
      finish(CLOSED);
      return;
    }
    if (sink.refusesWrites()) {
      finish(null); // a probe that was not answered, or another write's call failed fatally meanwhile
      return;
    }
    long delayMs = sink.backoff().delayMs(retries++);
    if (delayMs >= remainingMs()) {
      finish(DEADLINE); // the retry could not start before the deadline
      return;
    }
    retryTimer = sink.vertx().setTimer(Math.max(1, delayMs), id -> {
      retryTimer = -1;
      send();
    });
  }

  private long remainingMs() {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }

  /** @param whyIncomplete logged (rate-limited) if records remain unconfirmed; null when already explained */
  private void finish(String whyIncomplete) {
    if (finished) {
      return;
    }
    finished = true;
    if (closeGraceTimer != -1) {
      sink.vertx().cancelTimer(closeGraceTimer);
      closeGraceTimer = -1;
    }
    int notDelivered = result.size() - result.deliveredCount();
    if (notDelivered > 0) {
      sink.counters().recordsNotDelivered.add(notDelivered);
      if (whyIncomplete != null) {
        sink.warnRateLimited("Firehose stream '" + sink.config().streamName() + "': " + notDelivered + " of "
            + result.size() + " records not delivered: " + whyIncomplete);
      }
    }
    sink.finished(this);
    done.complete(result);
  }
}
