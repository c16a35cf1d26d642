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

  private static final String DEADLINE = "not confirmed within delivery_deadline_ms";

  private final FirehoseSink sink;
  private final List<SdkBytes> data;
  private final WriteResult result;
  private final long deadlineNanos;
  private final Promise<WriteResult> done = Promise.promise();

  /** Indexes (into {@link #data}) of records not confirmed yet, in write order. */
  private List<Integer> pending;
  private int retries;
  private long retryTimer = -1;
  private boolean finished;

  BatchDelivery(FirehoseSink sink, List<SdkBytes> data, long deadlineNanos) {
    this.sink = sink;
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

  /** The sink is closing: a write waiting for its next retry ends now; one in a call ends after it. */
  void stopWaiting() {
    if (retryTimer != -1) {
      sink.vertx().cancelTimer(retryTimer);
      retryTimer = -1;
      finish(null);
    }
  }

  private void send() {
    long remainingMs = remainingMs();
    if (sink.refusesWrites()) {
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
      sink.counters().recordsRetried.addAndGet(pending.size());
    }
    // never wait for an answer past the deadline: whatever is unconfirmed then is reported not delivered
    sink.putRecordBatch(records, Math.min(sink.config().callTimeoutMs(), remainingMs))
        .onComplete(answer -> {
          if (answer.succeeded()) {
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
    sink.counters().recordsSent.addAndGet(pending.size() - failed.size());
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
        sink.counters().callsThrottled.incrementAndGet();
        retryLater();
      }
      case RETRY -> retryLater();
      case GIVE_UP -> finish(failure.detail());
    }
  }

  private void retryLater() {
    if (sink.isClosing()) {
      finish(null);
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
    int notDelivered = result.size() - result.deliveredCount();
    if (notDelivered > 0) {
      sink.counters().recordsNotDelivered.addAndGet(notDelivered);
      if (whyIncomplete != null) {
        sink.warnRateLimited("Firehose stream '" + sink.config().streamName() + "': " + notDelivered + " of "
            + result.size() + " records not delivered: " + whyIncomplete);
      }
    }
    sink.finished(this);
    done.complete(result);
  }
}
