package io.gameevents.debugger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code /debugger/events} stream. It reads the ring on its own event loop every {@link #TICK_MS}:
 * first the buffered entries (the replay), then new ones, at most {@code debugger.max_events_per_second} of them
 * a second; the rest are counted and reported in a {@code skipped} event. It never writes more once the
 * response's write queue is full (so a client that does not read costs at most that queue), and a client that
 * has not drained it within {@link #SLOW_MS} is cut off.
 */
final class Subscriber {

  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
  static final long TICK_MS = 100;
  static final long SLOW_MS = 5_000;
  private static final long COUNTS_EVERY_MS = 5_000;
  private static final long SKIPPED_EVERY_MS = 1_000;
  /** What the stream may have waiting in its write queue before it stops writing. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;

  private final Debugger debugger;
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final Filter filter;
  private final EventRing ring;
  private final String adminId;
  private long cursor;
  /** Entries before this were there when the stream opened: sent without the rate limit. */
  private final long replayEnd;
  private long second;
  private int sentThisSecond;
  private long skipped;
  private long lastSkippedNotice;
  private long lastCounts;
  private long fullSince = -1;
  private long timer = -1;
  private boolean closed;

  Subscriber(Debugger debugger, Vertx vertx, HttpServerResponse response, Filter filter, String adminId) {
    this.debugger = debugger;
    this.vertx = vertx;
    this.response = response;
    this.filter = filter;
    this.ring = debugger.ring();
    this.adminId = adminId;
    this.replayEnd = ring.next();
    this.cursor = Math.max(0, replayEnd - ring.capacity());
  }

  void start() {
    response.setChunked(true).setWriteQueueMaxSize(WRITE_QUEUE_BYTES)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold the stream back
    response.closeHandler(v -> stop(false));
    response.exceptionHandler(e -> stop(false));
    send("hello", debugger.hello().encode());
    sendCounts(System.currentTimeMillis());
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    tick();
  }

  private void tick() {
    if (closed) {
      return;
    }
    long now = System.currentTimeMillis();
    if (response.writeQueueFull()) {
      if (fullSince < 0) {
        fullSince = now;
        response.drainHandler(v -> fullSince = -1);
      } else if (now - fullSince > SLOW_MS) {
        log.info("debugger stream of admin token {} closed: its client has not read for {} ms", adminId, SLOW_MS);
        stop(true);
        response.reset(); // HTTP/1: closes the connection, dropping what its queue holds
        return;
      }
      skipLapped();
      return;
    }
    fullSince = -1;
    if (now / 1000 != second) {
      second = now / 1000;
      sentThisSecond = 0;
    }
    readRing();
    if (skipped > 0 && now - lastSkippedNotice >= SKIPPED_EVERY_MS && !response.writeQueueFull()) {
      send("skipped", new JsonObject().put("skipped", skipped)
          .put("reason", "more than " + debugger.config().maxEventsPerSecond() + " events per second "
              + "(debugger.max_events_per_second), or the page did not keep up").encode());
      skipped = 0;
      lastSkippedNotice = now;
    }
    if (now - lastCounts >= COUNTS_EVERY_MS && !response.writeQueueFull()) {
      sendCounts(now);
    }
  }

  private void readRing() {
    long end = ring.next();
    skipLapped();
    while (cursor < end && !response.writeQueueFull()) {
      EventRing.Read read = ring.at(cursor);
      if (read instanceof EventRing.Pending) {
        return; // its writer has not published it yet: next tick
      }
      if (read instanceof EventRing.Found found && filter.matches(found.entry())) {
        if (cursor < replayEnd || sentThisSecond < debugger.config().maxEventsPerSecond()) {
          if (cursor >= replayEnd) {
            sentThisSecond++;
          }
          response.write(Buffer.buffer("data: " + debugger.view().json(found.entry()) + "\n\n"));
        } else {
          skipped++;
        }
      } else if (read instanceof EventRing.Gone) {
        skipped++;
      }
      cursor++;
    }
  }

  /** Entries overwritten before this stream got to them count as skipped. */
  private void skipLapped() {
    long oldest = ring.next() - ring.capacity();
    if (cursor < oldest) {
      skipped += oldest - cursor;
      cursor = oldest;
    }
  }

  private void sendCounts(long now) {
    lastCounts = now;
    send("counts", debugger.counts().encode());
  }

  private void send(String event, String data) {
    response.write(Buffer.buffer("event: " + event + "\ndata: " + data + "\n\n"));
  }

  private void stop(boolean slow) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(timer);
    debugger.leave(slow);
  }
}
