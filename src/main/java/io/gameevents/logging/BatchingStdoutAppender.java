package io.gameevents.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes its lines to stdout from one writer thread, in batches, so a logging thread (the access log's event
 * loops) only hands the event over: the encoding and the {@code write} happen on the writer, one write for all
 * the lines queued meanwhile instead of one per line, each write whole lines only. For a logger that writes a
 * line per request; others stay on the synchronous console appender, so a WARN or ERROR is out before a crash.
 *
 * <p>Nothing is dropped: when the queue is full the logging thread waits for room, as it waited for its own
 * write before. {@link #stop()} writes everything queued before it returns ({@link io.gameevents.Main} stops
 * the logging after Vert.x has stopped, so after the last access line), waiting up to
 * {@link #STOP_WAIT_MS} for stdout to take it.
 *
 * <p>Configurable from XML like any appender: {@code <appender class="io.gameevents.logging.BatchingStdoutAppender">}
 * with an {@code <encoder>} and optionally {@code <queueSize>}.
 */
public class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /**
   * 8,192 lines: an access event held here is about 1 KB (the event, its argument array and fields), so at most
   * about 8 MB; at 25,000 requests a second on a node that is a third of a second of lines, enough to ride out a
   * short stall of whatever reads stdout without stalling the event loops, and small enough that a stdout that
   * stays blocked holds them back (the loops wait) rather than piling up memory.
   */
  public static final int DEFAULT_QUEUE_SIZE = 8192;
  /** How long stop() waits for stdout to take the queued lines: a stdout nobody reads must not hang the exit. */
  static final long STOP_WAIT_MS = 10_000;
  /** Lines per write at most: bounds the buffer a write is built in (~350 bytes a line: ~350 KB). */
  private static final int MAX_BATCH = 1024;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = DEFAULT_QUEUE_SIZE;
  /** Null for System.out (read at each write, as Logback's ConsoleAppender does); a stream in the tests. */
  private OutputStream target;
  private BlockingQueue<ILoggingEvent> queue;
  private Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public int getQueueSize() {
    return queueSize;
  }

  /** Where the lines go instead of stdout (tests). */
  void setTarget(OutputStream target) {
    this.target = target;
  }

  /** Lines waiting for the writer. */
  int queued() {
    return queue == null ? 0 : queue.size();
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (encoder == null) {
      addError("no encoder set for the appender named \"" + name + "\"");
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1 (was " + queueSize + ")");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    writer = new Thread(this::writeUntilStopped, "game-events-log-" + name);
    // never what keeps the JVM alive: stop() is what makes sure the lines are out
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  /**
   * On the logging thread: takes what the encoder would otherwise read from the writer's thread (the thread's
   * name and its MDC; the timestamp, message arguments and throwable are in the event already) and queues the
   * event, waiting for room when the queue is full. Not {@code prepareForDeferredProcessing()}: that would also
   * format the message here, which is the encoder's work, for the writer to do.
   */
  @Override
  protected void append(ILoggingEvent event) {
    event.getThreadName();
    event.getMDCPropertyMap();
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      addWarn("interrupted while waiting for room in the queue: a line was not logged");
    }
  }

  /** Writes everything queued (up to {@link #STOP_WAIT_MS}), then stops. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    writer.interrupt();
    try {
      writer.join(STOP_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      addWarn(queue.size() + " lines not written: stdout did not take them within " + STOP_WAIT_MS + " ms");
    } else if (!queue.isEmpty()) {
      // a logging thread that was past the started check when stop() began, and queued after the writer's end
      List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (!queue.isEmpty()) {
        writeBatch(batch, bytes);
      }
    }
  }

  /** The writer thread: waits for lines until stop() interrupts it, then writes what is left. */
  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try {
      while (true) {
        batch.add(queue.take());
        writeBatch(batch, bytes);
      }
    } catch (InterruptedException stopping) {
      // stop() was called: the queue only empties from here on
    }
    while (!queue.isEmpty()) {
      writeBatch(batch, bytes);
    }
  }

  /** Encodes {@code batch} (with what else is queued, up to {@link #MAX_BATCH}) and writes it in one write. */
  private void writeBatch(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    queue.drainTo(batch, MAX_BATCH - batch.size());
    for (ILoggingEvent event : batch) {
      try {
        bytes.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        addError("cannot encode a line", e);
      }
    }
    batch.clear();
    if (bytes.size() == 0) {
      return; // nothing encoded
    }
    OutputStream out = target == null ? System.out : target;
    try {
      bytes.writeTo(out);
      if (queue.isEmpty()) {
        out.flush();
      }
    } catch (IOException e) {
      addError("cannot write " + bytes.size() + " bytes of lines", e);
    }
    bytes.reset();
  }
}
