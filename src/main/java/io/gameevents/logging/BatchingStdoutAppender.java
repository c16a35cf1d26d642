package io.gameevents.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes its lines to stdout from one writer thread, in batches, so a logging thread (the access log's event
 * loops) only hands the event over: the encoding and the {@code write} happen on the writer, one write for all
 * the lines queued meanwhile (up to 1,024) instead of one per line, each write whole lines only. The writer
 * looks at the queue every 2 ms rather than being woken for each line, so a line reaches stdout up to ~2 ms
 * after it was logged. For a logger that writes a line per request; the others stay on the synchronous console
 * appender, so a WARN or ERROR is out before a crash.
 *
 * <p>Nothing is dropped: when the queue is full the logging thread waits for room, as it waited for its own
 * write before. {@link #stop()} writes everything queued before it returns (the service's Main stops the
 * logging with {@link LogSetup#stop()} after Vert.x has stopped, so after the last access line), waiting up to
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
  /** How long the writer waits before it looks again at an empty queue: how late a line can be on stdout. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** Empty looks (50 ms) before the writer parks until a line comes: an idle service wakes nothing. */
  private static final int QUIET_LOOKS = 25;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = DEFAULT_QUEUE_SIZE;
  /** Null for System.out (read at each write, as Logback's ConsoleAppender does); a stream in the tests. */
  private OutputStream target;
  /**
   * The lines handed over. Not a BlockingQueue: its put() wakes a waiting writer on every line, a futex call
   * on the event loop (~1 us a line measured here); the writer looks every {@link #LINGER_NANOS} instead.
   */
  private final Queue<ILoggingEvent> lines = new ConcurrentLinkedQueue<>();
  /** One permit per line that may be held (queued or being written): the queue's bound. */
  private Semaphore room;
  private Thread writer;
  private volatile boolean stopping;
  /** The writer parks without a timeout after a quiet spell; a logging thread then wakes it. */
  private volatile boolean asleep;

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

  /** Lines held: queued, or taken by the writer and not yet written. */
  int held() {
    return room == null ? 0 : queueSize - room.availablePermits();
  }

  /** The writer waits for a line to wake it (after a quiet spell). */
  boolean writerAsleep() {
    return asleep && writer.getState() == Thread.State.WAITING;
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
    room = new Semaphore(queueSize);
    stopping = false;
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
      room.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      addWarn("interrupted while waiting for room in the queue: a line was not logged");
      return;
    }
    lines.add(event);
    if (asleep) {
      asleep = false;
      LockSupport.unpark(writer);
    }
  }

  /** Writes everything queued (waiting up to {@link #STOP_WAIT_MS} for stdout), then stops. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(STOP_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      addWarn(held() + " lines not written: stdout did not take them within " + STOP_WAIT_MS + " ms");
    } else {
      // a logging thread that was past the started check when stop() began, and queued after the writer's end
      writeQueued(new ArrayList<>(MAX_BATCH), new ByteArrayOutputStream());
    }
  }

  /** The writer thread: writes what is queued every {@link #LINGER_NANOS}, until stop() and the queue is empty. */
  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    int quiet = 0;
    while (true) {
      boolean stop = stopping; // read before the queue: whatever was queued before stop() is then written below
      if (writeQueued(batch, bytes)) {
        quiet = 0;
      } else if (stop) {
        return;
      } else if (++quiet < QUIET_LOOKS) {
        LockSupport.parkNanos(this, LINGER_NANOS);
      } else {
        asleep = true;
        // a line queued before the flag was seen gets written now; one after it wakes us (unpark before park
        // makes park return at once)
        if (lines.isEmpty() && !stopping) {
          LockSupport.park(this);
        }
        asleep = false;
        quiet = 0;
      }
    }
  }

  /** Writes everything queued, a batch of at most {@link #MAX_BATCH} lines per write; false if none was. */
  private boolean writeQueued(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    boolean wrote = false;
    ILoggingEvent event;
    while ((event = lines.poll()) != null) {
      batch.add(event);
      if (batch.size() == MAX_BATCH) {
        writeBatch(batch, bytes);
      }
      wrote = true;
    }
    if (!batch.isEmpty()) {
      writeBatch(batch, bytes);
    }
    if (wrote) {
      flush();
    }
    return wrote;
  }

  /** Encodes {@code batch} and writes it in one write; then its lines' room is free again. */
  private void writeBatch(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
    for (ILoggingEvent event : batch) {
      try {
        bytes.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        addError("cannot encode a line", e);
      }
    }
    if (bytes.size() > 0) {
      try {
        bytes.writeTo(out());
      } catch (IOException e) {
        addError("cannot write " + bytes.size() + " bytes of lines", e);
      }
    }
    bytes.reset();
    room.release(batch.size());
    batch.clear();
  }

  private void flush() {
    try {
      out().flush();
    } catch (IOException e) {
      addError("cannot flush the lines", e);
    }
  }

  private OutputStream out() {
    return target == null ? System.out : target;
  }
}
