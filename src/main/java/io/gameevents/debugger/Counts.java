package io.gameevents.debugger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Events per minute over the last {@link #MINUTES} minutes, per status and per event type: the debugger's chart.
 * Every event counts, sampled stream or not. Lock-free like {@link EventRing}: one bucket per minute in a ring,
 * a writer that finds last hour's bucket in its slot swaps in a fresh one (compare-and-set, so two writers agree
 * on one). An event counted into a bucket just replaced is lost: a chart can afford that, a lock on every event
 * could not.
 */
final class Counts {

  static final int MINUTES = 15;
  /** Event types are the client's text until validated: beyond this many per minute they count as "other". */
  static final int MAX_TYPES = 50;
  static final String OTHER = "(other)";

  private static final class Minute {
    final long minute;
    final LongAdder[] statuses = new LongAdder[Status.values().length];
    final Map<String, LongAdder> types = new ConcurrentHashMap<>();

    Minute(long minute) {
      this.minute = minute;
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = new LongAdder();
      }
    }

    LongAdder type(String type) {
      LongAdder count = types.get(type);
      if (count != null) {
        return count;
      }
      return types.size() < MAX_TYPES ? types.computeIfAbsent(type, t -> new LongAdder())
          : types.computeIfAbsent(OTHER, t -> new LongAdder());
    }
  }

  private final AtomicReferenceArray<Minute> minutes = new AtomicReferenceArray<>(MINUTES);
  private final LongSupplier clockMillis;

  Counts(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** @param nowMillis the caller's clock reading (the entry's time), so an event costs one read */
  void add(Status status, String eventType, long nowMillis) {
    Minute bucket = bucket(nowMillis / 60_000);
    bucket.statuses[status.ordinal()].increment();
    bucket.type(eventType == null ? "(none)" : eventType).increment();
  }

  private Minute bucket(long minute) {
    int slot = (int) (minute % MINUTES);
    while (true) {
      Minute current = minutes.get(slot);
      if (current != null && current.minute == minute) {
        return current;
      }
      if (current != null && current.minute > minute) {
        return new Minute(minute); // a writer late by 15 minutes: counted nowhere
      }
      Minute fresh = new Minute(minute);
      if (minutes.compareAndSet(slot, current, fresh)) {
        return fresh;
      }
    }
  }

  /**
   * {@code {"minutes": [{"minute": "2026-...T10:04:00Z", "statuses": {...}, "types": {...}}, ...]}}, oldest
   * first, one per minute of the window (empty minutes included, so the chart's axis is time).
   */
  JsonObject snapshot() {
    long now = clockMillis.getAsLong() / 60_000;
    JsonArray list = new JsonArray();
    for (long minute = now - MINUTES + 1; minute <= now; minute++) {
      Minute bucket = minutes.get((int) (minute % MINUTES));
      JsonObject statuses = new JsonObject();
      JsonObject types = new JsonObject();
      for (Status status : Status.values()) {
        statuses.put(status.wire(), bucket != null && bucket.minute == minute ? bucket.statuses[status.ordinal()].sum() : 0);
      }
      if (bucket != null && bucket.minute == minute) {
        bucket.types.forEach((type, count) -> types.put(type, count.sum()));
      }
      list.add(new JsonObject().put("minute", java.time.Instant.ofEpochMilli(minute * 60_000).toString())
          .put("statuses", statuses).put("types", types));
    }
    return new JsonObject().put("minutes", list);
  }
}
