package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains the {@link EventQueue} to {@code POST /v1/batch}, one batch in flight at a time, in queue order.
 * A drain started by a size threshold sends full batches only; one started by the timer, {@code flush()}
 * or {@code close()} sends everything. Everything runs on the client's context, so the drain state needs no
 * locks.
 */
final class BatchDispatcher {

  private static final System.Logger LOG = System.getLogger(BatchDispatcher.class.getName());
  private static final long MAX_RETRY_AFTER_PAUSE_MILLIS = 3_600_000;

  /** A flush waiting until the queue head passes {@code lastSeq}. */
  private static final class Waiter {
    private long lastSeq;
    private final Promise<Void> promise;

    Waiter(long lastSeq, Promise<Void> promise) {
      this.lastSeq = lastSeq;
      this.promise = promise;
    }
  }

  private final Context context;
  private final EventQueue queue;
  private final JournalWriter journal;
  private final RetryingSender sender;
  private final GameEventClientConfig config;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong unknownStatus = new AtomicLong();
  private final UnknownStatuses unknownStatuses;
  private final AtomicLong failedBatches = new AtomicLong();
  private final List<Waiter> waiters = new ArrayList<>();
  /** Halves of a batch answered 413, still to send, the oldest first: they are the head of the queue. */
  private final Deque<List<EventQueue.Entry>> splitBatches = new ArrayDeque<>();
  private boolean draining;
  private boolean drainAll;
  private int failedDrains;
  private long nextTimedDrainAt;

  BatchDispatcher(Context context, EventQueue queue, JournalWriter journal, RetryingSender sender,
                  GameEventClientConfig config, UnknownStatuses unknownStatuses) {
    this.context = context;
    this.unknownStatuses = unknownStatuses;
    this.queue = queue;
    this.journal = journal;
    this.sender = sender;
    this.config = config;
  }

  /**
   * The pickup tick (every {@code pickupInterval}): starts a drain when a full batch is waiting. track() itself
   * never wakes the event loop: a cross-thread wake-up is a system call, the slowest part of a track() by far.
   */
  void onPickup() {
    // after a failed drain (e.g. a revoked key) wait like the timer does, not one request per tick
    if (!draining && fullBatchQueued() && System.currentTimeMillis() >= nextTimedDrainAt) {
      drain(false);
    }
  }

  /** The periodic timer: sends what is queued, backing off after drains that ran out of retries. */
  void onTimer() {
    if (queue.size() > 0 && System.currentTimeMillis() >= nextTimedDrainAt) {
      drain(true);
    }
  }

  /** Completes when every event queued so far left the queue; fails when a batch ran out of retries. */
  Future<Void> flush() {
    long lastSeq = queue.lastSeq();
    if (queue.headSeq() > lastSeq) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiters.add(new Waiter(lastSeq, promise));
    drain(true);
    return promise.future();
  }

  /** After an opt-out emptied the queue: the flushes waiting for its events are done. */
  void onOptOut() {
    completeWaiters(queue.headSeq());
  }

  long accepted() {
    return accepted.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long rejected() {
    return rejected.get();
  }

  long suppressed() {
    return suppressed.get();
  }

  long unknownStatus() {
    return unknownStatus.get();
  }

  long failedBatches() {
    return failedBatches.get();
  }

  private boolean fullBatchQueued() {
    return queue.size() >= config.getBatchMaxEvents() || queue.batchBytes() >= config.getBatchMaxBytes();
  }

  private void drain(boolean all) {
    drainAll |= all;
    if (!draining) {
      draining = true;
      nextBatch();
    }
  }

  private void nextBatch() {
    while (!splitBatches.isEmpty()) {
      List<EventQueue.Entry> half = splitBatches.pop();
      if (queue.holds(half.get(0))) { // else the player opted out since the split: never sent
        send(half);
        return;
      }
    }
    // an event is sent once it is on disk: a crash while its batch is in flight cannot lose it
    journal.sync().onFailure(this::finish).onSuccess(onDiskUpTo -> {
      List<EventQueue.Entry> batch = drainAll || fullBatchQueued()
          ? queue.peekBatch(config.getBatchMaxEvents(), config.getBatchMaxBytes(), onDiskUpTo)
          : List.of();
      if (batch.isEmpty()) {
        finish(null);
      } else {
        send(batch);
      }
    });
  }

  private void send(List<EventQueue.Entry> batch) {
    sender.send(context, "/v1/batch", sentAt -> batchBody(batch, sentAt)).onComplete(done -> {
      RetryingSender.Result result = done.result();
      if (done.failed() || result.retryable() || refusedAsAWhole(result.status())) {
        // not stored, and nothing wrong with the events themselves: they stay queued (and on disk)
        finish(new BatchDeliveryException(batch.size(), result));
        return;
      }
      if (result.status() == 413 && batch.size() > 1) {
        // the server's body limit is below batchMaxBytes: send the halves, in order, before anything else
        int half = batch.size() / 2;
        splitBatches.push(List.copyOf(batch.subList(half, batch.size())));
        splitBatches.push(List.copyOf(batch.subList(0, half)));
        nextBatch();
        return;
      }
      List<EventQueue.Entry> requeue = resolve(batch, result);
      long requeuedUpTo = queue.removeHead(batch, requeue);
      journal.schedule();
      failedDrains = 0;
      if (requeuedUpTo >= 0) {
        // a flush covering a requeued event now waits for its new place in the queue
        long firstRequeued = requeue.get(0).seq();
        waiters.stream().filter(w -> w.lastSeq >= firstRequeued).forEach(w -> w.lastSeq = requeuedUpTo);
      }
      completeWaiters(queue.headSeq());
      nextBatch();
    });
  }

  /**
   * A non-2xx answer about the request, not its events: a revoked or rotated key (401, 403), a wrong URL (404),
   * a media type the server does not take (415)... Dropping the batch would empty the whole queue 100 events
   * at a time, so only 400 (see {@link #resolve}) and a 413 for a single event drop events.
   */
  private static boolean refusedAsAWhole(int status) {
    return (status < 200 || status >= 300) && status != 400 && status != 413;
  }

  /** Counts what the server did with each event; returns the ones to send again. */
  private List<EventQueue.Entry> resolve(List<EventQueue.Entry> batch, RetryingSender.Result result) {
    int status = result.status();
    if (status < 200 || status >= 300) {
      // 400: the batch body itself is malformed. The SDK builds it from events checked when they were created,
      // so this is an SDK/server contract mismatch; the same bytes would be refused forever and block every
      // event behind them, so they are dropped (and counted, and logged with the server's reason).
      // 413 here is a single event larger than the server takes: it can never be sent.
      rejected.addAndGet(batch.size());
      LOG.log(System.Logger.Level.WARNING, "POST /v1/batch answered " + status + ": " + batch.size()
          + " events rejected and dropped: " + result.body());
      return List.of();
    }
    JsonArray results = resultsOf(result.body());
    if (results == null) {
      // 2xx without per-event results: the server stored the batch
      accepted.addAndGet(batch.size());
      return List.of();
    }
    List<EventQueue.Entry> requeue = new ArrayList<>();
    for (int index = 0; index < batch.size(); index++) {
      EventQueue.Entry entry = batch.get(index);
      JsonObject answer = outcomeAt(results, index);
      // no entry for the event, or one without a status: stored, as a 2xx without results says
      Outcome outcome = Outcome.of(answer, Outcome.Verdict.ACCEPTED);
      switch (outcome.verdict()) {
        case ACCEPTED -> accepted.incrementAndGet();
        case DUPLICATE -> duplicates.incrementAndGet();
        case SUPPRESSED -> suppressed.incrementAndGet();
        case REJECTED -> {
          rejected.incrementAndGet();
          Boolean kept = Problem.keptOf(answer);
          LOG.log(System.Logger.Level.WARNING, "event " + entry.eventId() + " rejected"
              + (kept == null ? "" : ", kept=" + kept) + ": " + answer.getValue("errors"));
        }
        case NOT_STORED -> requeue.add(entry); // "unavailable": not stored, safe to send again
        case UNKNOWN -> {
          // final: a status added by a newer server must not make this build resend the event forever
          unknownStatus.incrementAndGet();
          unknownStatuses.seen(entry.eventId(), outcome.rawStatus());
        }
      }
    }
    return requeue;
  }

  private static JsonArray resultsOf(String body) {
    try {
      return new JsonObject(body).getJsonArray("results");
    } catch (DecodeException | ClassCastException notJson) {
      return null;
    }
  }

  private static JsonObject outcomeAt(JsonArray results, int index) {
    for (Object candidate : results) {
      if (candidate instanceof JsonObject outcome && outcome.getValue("index") instanceof Integer at && at == index) {
        return outcome;
      }
    }
    return index < results.size() && results.getValue(index) instanceof JsonObject o ? o : null;
  }

  private void finish(Throwable failure) {
    draining = false;
    drainAll = false;
    splitBatches.clear(); // their events are still at the head of the queue: the next drain takes them again
    if (failure == null) {
      completeWaiters(queue.headSeq());
      if (!waiters.isEmpty()) {
        drain(true); // a flush arrived while a threshold drain was ending
      }
      return;
    }
    failedDrains++;
    failedBatches.incrementAndGet();
    long pause = Math.min(config.getMaxBackoff().toMillis(),
        config.getFlushInterval().toMillis() << Math.min(failedDrains - 1, 20));
    if (failure instanceof BatchDeliveryException undelivered) {
      // a 429 or 503 said when to come back (e.g. beyond the retry budget): the timer and full batches wait
      // that long too; capped, so a broken proxy's huge value cannot stop delivery for the session
      pause = Math.max(pause, Math.min(undelivered.retryAfterMillis(), MAX_RETRY_AFTER_PAUSE_MILLIS));
    }
    nextTimedDrainAt = System.currentTimeMillis() + pause;
    LOG.log(System.Logger.Level.WARNING, failure.getMessage() + "; " + queue.size()
        + " events stay queued, next try in " + pause + " ms");
    List<Waiter> failed = new ArrayList<>(waiters);
    waiters.clear();
    failed.forEach(waiter -> waiter.promise.fail(failure));
  }

  private void completeWaiters(long headSeq) {
    waiters.removeIf(waiter -> {
      if (waiter.lastSeq < headSeq) {
        waiter.promise.complete();
        return true;
      }
      return false;
    });
  }

  static String batchBody(List<EventQueue.Entry> batch, String sentAt) {
    StringBuilder body = new StringBuilder(EventQueue.BATCH_ENVELOPE_BYTES
        + batch.size() * (EventQueue.PER_EVENT_OVERHEAD_BYTES + 256));
    body.append("{\"events\":[");
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      appendWithSentAt(body, batch.get(i).json(), sentAt);
    }
    return body.append("]}").toString();
  }

  /** Inserts sent_at before the closing brace of an encoded event object. */
  static StringBuilder appendWithSentAt(StringBuilder target, String eventJson, String sentAt) {
    return target.append(eventJson, 0, eventJson.length() - 1)
        .append(",\"sent_at\":\"").append(sentAt).append("\"}");
  }
}
