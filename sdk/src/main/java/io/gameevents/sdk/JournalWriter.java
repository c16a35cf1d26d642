package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the queue's pending journal lines to the disk, on the client's context as ordered blocking tasks: one
 * at a time, in order, never on a game thread nor on the event loop. {@code track} only calls {@link #schedule()},
 * which submits at most one write task at a time and never waits. Without a journal (an in-memory queue)
 * everything here is a no-op.
 */
final class JournalWriter {

  private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());

  private final Context context;
  private final EventQueue queue;
  private final Journal journal;
  private final AtomicBoolean writeScheduled = new AtomicBoolean();

  /** @param journal null for an in-memory queue */
  JournalWriter(Context context, EventQueue queue, Journal journal) {
    this.context = context;
    this.queue = queue;
    this.journal = journal;
  }

  /** Any thread, after the queue changed: gets the change written soon, without waiting for it. */
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
   * @return the seq of the newest event now on disk (every event, {@link Long#MAX_VALUE}, without a journal)
   */
  Future<Long> sync() {
    if (journal == null) {
      return Future.succeededFuture(Long.MAX_VALUE);
    }
    return ordered(() -> {
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
      warnIfLeft(queue.snapshot(true).liveJson().size(), " undelivered events are lost");
      return Future.succeededFuture();
    }
    return ordered(() -> {
      EventQueue.Snapshot left = queue.snapshot(true);
      warnIfLeft(left.liveJson().size(), " undelivered events stay in the disk queue");
      journal.close(left.liveJson());
      return null;
    });
  }

  /** @return the seq of the newest event in the file */
  private long writePending() {
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
