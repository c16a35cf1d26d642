package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Future;


import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the queue's pending journal lines to the disk, on the client's context as ordered blocking tasks: one
 * at a time, in order, never on a game thread nor on the event loop. {@code track} does not even wake it: the
 * client's pickup tick looks for pending lines every {@code pickupInterval} (a cross-thread wake-up per event
 * would cost the game thread more than the rest of {@code track}), and {@link #sync()} writes them before any
 * batch is sent. Without a journal (an in-memory queue) everything here is a no-op.
 */
final class JournalWriter {

  private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());

  private final Context context;
  private final EventQueue queue;
  private final Journal journal;
  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  /** Set by the close task; the ordered tasks after it find the file released. */
  private volatile boolean closed;

  /** @param journal null for an in-memory queue */
  JournalWriter(Context context, EventQueue queue, Journal journal) {
    this.context = context;
    this.queue = queue;
    this.journal = journal;
  }

  /** The pickup tick, on the client's context: gets what track() queued since the last one written. */
  void onPickup() {
    if (!closed && queue.hasPendingLines()) {
      schedule();
    }
  }

  /** Gets the pending lines written soon, without waiting for it; at most one write task is queued. */
  void schedule() {
    if (journal != null && writeScheduled.compareAndSet(false, true)) {
      ordered(() -> {
        writeScheduled.set(false); // a change from now on schedules another write
        writePending();
        return null;
      });
    }
  }

  /**
   * Writes what is pending and forces it to disk.
   *
   * @return the seq of the newest event now on disk (every event, {@link Long#MAX_VALUE}, without a journal);
   *         -1 once closed: nothing may be sent any more
   */
  Future<Long> sync() {
    if (journal == null) {
      return Future.succeededFuture(closed ? -1 : Long.MAX_VALUE);
    }
    return ordered(() -> {
      if (closed) {
        return -1L;
      }
      long lastSeq = writePending();
      journal.sync();
      return lastSeq;
    });
  }

  /**
   * After the last write: compacts the journal to the events still queued and releases it. The queue refuses
   * offers from then on. Events left without a journal are lost (and logged).
   */
  Future<Void> close() {
    if (journal == null) {
      closed = true;
      warnIfLeft(queue.snapshot(true).liveJson().size(), " undelivered events are lost");
      return Future.succeededFuture();
    }
    return ordered(() -> {
      closed = true;
      EventQueue.Snapshot left = queue.snapshot(true);
      warnIfLeft(left.liveJson().size(), " undelivered events stay in the disk queue");
      journal.close(left.liveJson());
      return null;
    });
  }

  /**
   * Records the player's choice on the disk queue, after the writes already scheduled; after an opt-out, also
   * rewrites the file with the events still queued (the queue forgot the player's). A no-op without a journal:
   * the choice then lasts as long as the client.
   */
  Future<Void> recordChoice(boolean optedOut) {
    if (journal == null) {
      return Future.succeededFuture();
    }
    return ordered(() -> {
      if (closed) {
        throw new IllegalStateException("the client is closed");
      }
      if (optedOut) {
        journal.recordOptOut(queue.snapshot(false).liveJson());
      } else {
        journal.recordOptIn();
      }
      return null;
    });
  }

  /** @return the seq of the newest event in the file */
  private long writePending() {
    if (closed) {
      return -1;
    }
    EventQueue.PendingLines pending = queue.takePendingLines();
    if (!pending.lines().isEmpty()) {
      journal.write(pending.lines(), pending.removals());
    }
    if (journal.wantsCompaction(queue.size())) {
      EventQueue.Snapshot snapshot = queue.snapshot(false);
      journal.tryCompact(snapshot.liveJson());
      return snapshot.lastSeq();
    }
    return pending.lastSeq();
  }

  private static void warnIfLeft(int left, String fate) {
    if (left > 0) {
      LOG.log(System.Logger.Level.WARNING, left + fate);
    }
  }

  private <T> Future<T> ordered(Callable<T> work) {
    return context.executeBlocking(work, true);
  }
}
