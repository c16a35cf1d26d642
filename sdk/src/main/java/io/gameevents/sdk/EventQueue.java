package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue behind {@code track}: any thread offers, the client's context takes batches from the head.
 * When full, the newest event (the one being offered) is dropped and counted. With a journal, every change is
 * also written to disk. Batches stay in the queue until they are resolved, so a crash mid-send resends them
 * (answered duplicate).
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

  /** {@code {"events":[]}}. */
  static final int BATCH_ENVELOPE_BYTES = 13;
  /** {@code ,"sent_at":"2026-11-24T10:15:30.123Z"} added to each event, and the comma between events. */
  static final int PER_EVENT_OVERHEAD_BYTES = 38;

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final int capacity;
  private final EventJournal journal;
  private final AtomicLong dropped = new AtomicLong();
  private long nextSeq;
  private long queuedBytes;

  private EventQueue(int capacity, EventJournal journal) {
    this.capacity = capacity;
    this.journal = journal;
  }

  static EventQueue inMemory(int capacity) {
    return new EventQueue(capacity, null);
  }

  /** Opens the journal and restores the events it still holds (all of them, even beyond the capacity). */
  static EventQueue journaled(int capacity, EventJournal journal) {
    EventQueue queue = new EventQueue(capacity, journal);
    for (String json : journal.recovered()) {
      queue.add(new JsonObject(json).getString("event_id"), json);
    }
    return queue;
  }

  static EventQueue open(GameEventClientConfig config) throws IOException {
    if (config.getQueueDirectory() == null) {
      return inMemory(config.getMaxQueuedEvents());
    }
    return journaled(config.getMaxQueuedEvents(),
        EventJournal.open(config.getQueueDirectory(), config.getQueueName()));
  }

  boolean durable() {
    return journal != null;
  }

  /** Adds at the tail, or drops it when the queue is full. */
  synchronized boolean offer(String eventId, String json) {
    if (entries.size() >= capacity) {
      dropped.incrementAndGet();
      return false;
    }
    if (journal != null) {
      journal.append(json);
    }
    add(eventId, json);
    return true;
  }

  private void add(String eventId, String json) {
    Entry entry = new Entry(nextSeq++, eventId, json, json.getBytes(StandardCharsets.UTF_8).length);
    entries.addLast(entry);
    queuedBytes += entry.bytes();
  }

  /**
   * The oldest events that fit one batch: at most {@code maxEvents}, and at most {@code maxBytes} by
   * body bytes (but always at least one). The journal is forced to disk first.
   */
  synchronized List<Entry> peekBatch(int maxEvents, long maxBytes) {
    if (journal != null) {
      journal.sync();
    }
    List<Entry> batch = new ArrayList<>(Math.min(maxEvents, entries.size()));
    long bytes = BATCH_ENVELOPE_BYTES;
    for (Entry entry : entries) {
      long withEntry = bytes + entry.bytes() + PER_EVENT_OVERHEAD_BYTES;
      if (batch.size() == maxEvents || (!batch.isEmpty() && withEntry > maxBytes)) {
        break;
      }
      batch.add(entry);
      bytes = withEntry;
    }
    return batch;
  }

  /**
   * Removes the {@code count} oldest events (a resolved batch) and puts {@code requeue} (some of them that
   * the server could not store) back at the tail, beyond the capacity if need be: they were accepted once.
   *
   * @return the seq of the last requeued event, -1 when none was
   */
  synchronized long removeHead(int count, List<Entry> requeue) {
    for (int i = 0; i < count && !entries.isEmpty(); i++) {
      queuedBytes -= entries.removeFirst().bytes();
    }
    for (Entry entry : requeue) {
      if (journal != null) {
        journal.append(entry.json());
      }
      add(entry.eventId(), entry.json());
    }
    if (journal != null) {
      journal.removed(count);
      if (journal.wantsCompaction(entries.size())) {
        journal.tryCompact(liveJson());
      }
    }
    return requeue.isEmpty() ? -1 : nextSeq - 1;
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

  /** Compacts and releases the journal; the in-memory events are gone after this. */
  synchronized void close() {
    if (journal != null) {
      journal.close(liveJson());
    }
  }

  private List<String> liveJson() {
    List<String> live = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      live.add(entry.json());
    }
    return live;
  }
}
