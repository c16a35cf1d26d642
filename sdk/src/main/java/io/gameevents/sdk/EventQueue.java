package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded in-memory queue behind {@code track}: any thread offers, the client's context takes batches from
 * the head. When full, the newest event (the one being offered) is dropped and counted. Batches stay in the
 * queue until they are resolved, so a crash mid-send resends them (answered duplicate).
 * <p>
 * The lock guards memory only and is held for the handoff: no file I/O ever happens under it, so a game thread
 * calling {@code track} never waits on the disk. For a durable queue, every change is also recorded here as a
 * pending journal line, in queue order; the {@link JournalWriter} takes them (under the lock, a list swap) and
 * writes them to the file on the client's own context, outside the lock.
 */
final class EventQueue {

  /**
   * One queued event.
   *
   * @param seq   its position in the order of offers (since the queue was opened)
   * @param json  the payload without sent_at
   * @param bytes its UTF-8 size
   */
  record Entry(long seq, String eventId, String json, int bytes) {
  }

  /**
   * Journal lines not yet written, oldest first.
   *
   * @param lines    event lines and {@code -N} removal lines, without line ends
   * @param removals the total N of the removal lines
   * @param lastSeq  the seq of the newest event these lines cover (-1 before any)
   */
  record PendingLines(List<String> lines, int removals, long lastSeq) {
  }

  /**
   * The whole live queue, for a compaction that replaces the journal's file.
   *
   * @param lastSeq the seq of the newest event in it (-1 before any)
   */
  record Snapshot(List<String> liveJson, long lastSeq) {
  }

  /** {@code {"events":[]}}. */
  static final int BATCH_ENVELOPE_BYTES = 13;
  /** {@code ,"sent_at":"2026-11-24T10:15:30.123Z"} added to each event, and the comma between events. */
  static final int PER_EVENT_OVERHEAD_BYTES = 38;

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final int capacity;
  private final boolean durable;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong optedOutEvents = new AtomicLong();
  /** Written under the lock; read without it by track()'s early exit, and under it by offer(). */
  private volatile boolean optedOut;
  /** Events with a smaller seq were forgotten by an opt-out: a batch in flight must not bring them back. */
  private long forgottenBelow;
  private List<String> pendingLines = new ArrayList<>();
  private int pendingRemovals;
  private long nextSeq;
  private long queuedBytes;
  private boolean closed;

  private EventQueue(int capacity, boolean durable) {
    this.capacity = capacity;
    this.durable = durable;
  }

  static EventQueue inMemory(int capacity) {
    return new EventQueue(capacity, false);
  }

  /**
   * A durable queue holding the events its journal still had (all of them, even beyond the capacity); they are
   * in the file already, so no journal line is pending for them.
   */
  static EventQueue journaled(int capacity, List<String> recovered) {
    EventQueue queue = new EventQueue(capacity, true);
    for (String json : recovered) {
      queue.add(new JsonObject(json).getString("event_id"), json);
    }
    return queue;
  }

  boolean durable() {
    return durable;
  }

  /**
   * Adds at the tail, or drops it when the queue is full.
   *
   * @throws IllegalStateException once the queue is closed: the journal would no longer write the event
   */
  synchronized boolean offer(String eventId, String json) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    if (optedOut) {
      optedOutEvents.incrementAndGet();
      return false;
    }
    if (entries.size() >= capacity) {
      dropped.incrementAndGet();
      return false;
    }
    add(eventId, json);
    if (durable) {
      pendingLines.add(json);
    }
    return true;
  }

  private void add(String eventId, String json) {
    Entry entry = new Entry(nextSeq++, eventId, json, json.getBytes(StandardCharsets.UTF_8).length);
    entries.addLast(entry);
    queuedBytes += entry.bytes();
  }

  /**
   * The oldest events that fit one batch: at most {@code maxEvents}, at most {@code maxBytes} by body bytes
   * (but always at least one), and none newer than {@code maxSeq}: only what is already on disk is sent.
   */
  synchronized List<Entry> peekBatch(int maxEvents, long maxBytes, long maxSeq) {
    List<Entry> batch = new ArrayList<>(Math.min(maxEvents, entries.size()));
    long bytes = BATCH_ENVELOPE_BYTES;
    for (Entry entry : entries) {
      long withEntry = bytes + entry.bytes() + PER_EVENT_OVERHEAD_BYTES;
      if (entry.seq() > maxSeq || batch.size() == maxEvents || (!batch.isEmpty() && withEntry > maxBytes)) {
        break;
      }
      batch.add(entry);
      bytes = withEntry;
    }
    return batch;
  }

  /**
   * Removes a resolved batch (the oldest events, unless an opt-out forgot them meanwhile) and puts
   * {@code requeue} (some of them that the server could not store) back at the tail, beyond the capacity if need
   * be: they were accepted once.
   *
   * @return the seq of the last requeued event, -1 when none was
   */
  synchronized long removeHead(List<Entry> batch, List<Entry> requeue) {
    long lastSeq = batch.get(batch.size() - 1).seq();
    int removed = 0;
    for (; !entries.isEmpty() && entries.peekFirst().seq() <= lastSeq; removed++) {
      queuedBytes -= entries.removeFirst().bytes();
    }
    boolean requeued = false;
    for (Entry entry : requeue) {
      if (entry.seq() < forgottenBelow) {
        continue; // the player opted out while the batch was in flight
      }
      add(entry.eventId(), entry.json());
      requeued = true;
      if (durable) {
        pendingLines.add(entry.json());
      }
    }
    if (durable && removed > 0) {
      pendingLines.add("-" + removed);
      pendingRemovals += removed;
    }
    return requeued ? nextSeq - 1 : -1;
  }

  /**
   * The player opted out: refuses offers from now on and forgets every queued event, in memory only (the
   * journal's rewrite follows, off the caller's thread).
   *
   * @return how many queued events were forgotten
   */
  synchronized int optOut() {
    optedOut = true;
    int forgotten = entries.size();
    entries.clear();
    queuedBytes = 0;
    forgottenBelow = nextSeq;
    pendingLines = new ArrayList<>(); // the rewrite replaces the whole file
    pendingRemovals = 0;
    optedOutEvents.addAndGet(forgotten);
    return forgotten;
  }

  synchronized void optIn() {
    optedOut = false;
  }

  boolean optedOut() {
    return optedOut;
  }

  /** track()'s early exit while opted out: counted like a refused offer. */
  boolean refuseOptedOut() {
    optedOutEvents.incrementAndGet();
    return false;
  }

  long optedOutEvents() {
    return optedOutEvents.get();
  }

  /** False for an event an opt-out forgot (e.g. the unsent half of a split batch). */
  synchronized boolean holds(Entry entry) {
    return entry.seq() >= forgottenBelow;
  }

  synchronized boolean hasPendingLines() {
    return !pendingLines.isEmpty();
  }

  /** Hands the pending journal lines over to the writer (a swap: the lock is held for no I/O). */
  synchronized PendingLines takePendingLines() {
    PendingLines taken = new PendingLines(pendingLines, pendingRemovals, nextSeq - 1);
    pendingLines = new ArrayList<>();
    pendingRemovals = 0;
    return taken;
  }

  /**
   * The live events for a compaction; the pending lines are dropped, since the snapshot already reflects them.
   * With {@code close}, later offers fail: nothing would write them.
   */
  synchronized Snapshot snapshot(boolean close) {
    closed |= close;
    List<String> live = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      live.add(entry.json());
    }
    pendingLines = new ArrayList<>();
    pendingRemovals = 0;
    return new Snapshot(live, nextSeq - 1);
  }

  synchronized int size() {
    return entries.size();
  }

  /** The size of one batch body holding every queued event (an upper bound, by one byte). */
  synchronized long batchBytes() {
    return BATCH_ENVELOPE_BYTES + queuedBytes + (long) PER_EVENT_OVERHEAD_BYTES * entries.size();
  }

  /** The seq of the newest event offered so far, -1 before any. */
  synchronized long lastSeq() {
    return nextSeq - 1;
  }

  /** The seq of the oldest queued event, or {@link #lastSeq()} + 1 when empty. */
  synchronized long headSeq() {
    return entries.isEmpty() ? nextSeq : entries.peekFirst().seq();
  }

  long dropped() {
    return dropped.get();
  }
}
