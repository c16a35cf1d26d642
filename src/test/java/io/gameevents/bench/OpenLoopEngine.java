package io.gameevents.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop generator's engine: one thread, one {@link Selector}, {@code connections} keep-alive
 * HTTP/1.1 connections, at most one request in flight on each (as wrk). Request {@code i} is due at
 * {@link ArrivalSchedule#dueNanos}; when it is due it joins a FIFO queue and goes out on the first idle
 * connection, and its latency runs from the due time to its response's last byte, so waiting in the
 * queue for a connection, or this thread being late, counts (no coordinated omission).
 *
 * <p>Timing: the thread sleeps in {@link LockSupport#parkNanos} (as {@code select} only counts whole ms)
 * until the next due time, but no longer than {@code tickNanos} while requests are in flight or queued,
 * then handles whatever is ready. So requests go out on time (give or take the kernel's timer slack,
 * ~50 µs) and a response is read at most one tick late, which is the latency figures' resolution. A
 * longer tick means fewer wake-ups, and the system calls and context switches of a wake-up are most of
 * this thread's CPU time. With nothing in flight and the next request 1 ms or more away it waits in
 * {@code select}.
 *
 * <p>Failures: a response other than 2xx counts in {@code non2xx}; a request lost because its connection
 * was reset, ended before the response did, or sent something that is not HTTP counts in {@code lost}
 * (it is not retried); a connect that fails during the run, or a response to no request, counts in
 * {@code connectionErrors}. A failed connection is opened again, no faster than every 10 ms.
 */
final class OpenLoopEngine {

  /** What to run: the window is warm-up then measurement; a drain after it waits for the last answers. */
  record Settings(InetSocketAddress address, double rate, int connections, long warmupNanos, long measureNanos,
      long drainNanos, long tickNanos) {

    Settings {
      if (tickNanos < TimeUnit.MICROSECONDS.toNanos(10)) {
        throw new IllegalArgumentException("a tick under 10 µs would spin: " + tickNanos + " ns");
      }
    }
  }

  /** Only requests due inside the measured window are counted; CPU figures cover the same window. */
  record Result(double rate, double seconds, long due, long written, long answered, long non2xx, long lost,
      long connectionErrors, int[] statusCounts, long maxQueued, Histogram latencyMicros, long loopCpuNanos,
      long loopUserNanos, long processCpuNanos, long wakeUps) {

    /** Neither answered nor lost when the drain ended. */
    long unanswered() {
      return due - answered - lost;
    }

    /** Anything that makes the latency figures not the whole story. */
    boolean clean() {
      return non2xx == 0 && lost == 0 && connectionErrors == 0 && unanswered() == 0;
    }
  }

  private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Settings settings;
  private final RequestTemplate template;
  private final Selector selector;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final Connection[] connections;
  private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
  private final int[] statusCounts = new int[600];
  private final long[] queue;
  private final Connection[] idle;
  private int idleCount;
  private int inFlightCount;
  private int closedCount;
  private int queueHead;
  private int queueSize;
  private long maxQueued;
  private ArrivalSchedule schedule;
  private long measuredFrom;
  private long measuredTo;
  private long measuredStartNanos;
  private long windowEndNanos;
  private long written;
  private long answered;
  private long non2xx;
  private long lost;
  private long connectionErrors;
  private long now;

  OpenLoopEngine(Settings settings, RequestTemplate template) {
    this.settings = settings;
    this.template = template;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.connections = new Connection[settings.connections()];
    this.idle = new Connection[settings.connections()];
    for (int i = 0; i < connections.length; i++) {
      connections[i] = new Connection();
    }
    // every request of the run fits: a service that answers nothing makes the queue hold them all
    long total = new ArrivalSchedule(0, settings.rate()).countBefore(settings.warmupNanos() + settings.measureNanos());
    this.queue = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, total))];
  }

  Result run() throws IOException {
    now = System.nanoTime();
    for (Connection connection : connections) {
      connection.open();
    }
    awaitConnected();
    now = System.nanoTime();
    schedule = new ArrivalSchedule(now, settings.rate());
    long windowOffset = settings.warmupNanos() + settings.measureNanos();
    long total = schedule.countBefore(windowOffset);
    measuredFrom = schedule.countBefore(settings.warmupNanos());
    measuredTo = total;
    measuredStartNanos = schedule.startNanos() + settings.warmupNanos();
    windowEndNanos = schedule.startNanos() + windowOffset;
    long giveUpNanos = windowEndNanos + settings.drainNanos();
    long next = 0;
    long loopCpuStart = -1;
    long processCpuStart = -1;
    long loopCpu = 0;
    long loopUserStart = 0;
    long loopUser = 0;
    long processCpu = 0;
    long wakeUps = 0;
    while (true) {
      now = System.nanoTime();
      if (now >= measuredStartNanos && now < windowEndNanos) {
        wakeUps++;
      }
      while (next < total && schedule.dueNanos(next) <= now) {
        if (next == measuredFrom) {
          loopCpuStart = THREADS.getCurrentThreadCpuTime();
          loopUserStart = THREADS.getCurrentThreadUserTime();
          processCpuStart = processCpuNanos();
        }
        enqueue(next++);
      }
      if (loopCpuStart >= 0 && loopCpu == 0 && now >= windowEndNanos) {
        loopCpu = THREADS.getCurrentThreadCpuTime() - loopCpuStart;
        loopUser = THREADS.getCurrentThreadUserTime() - loopUserStart;
        processCpu = processCpuNanos() - processCpuStart;
      }
      reopenClosed();
      dispatch();
      if ((next == total && queueSize == 0 && inFlightCount == 0) || now >= giveUpNanos) {
        break;
      }
      long waitNanos = (next < total ? schedule.dueNanos(next) : giveUpNanos) - now;
      if (now < windowEndNanos) {
        waitNanos = Math.min(waitNanos, windowEndNanos - now); // to take the CPU figure on time
      }
      boolean busy = inFlightCount > 0 || queueSize > 0;
      if (!busy && waitNanos >= TimeUnit.MILLISECONDS.toNanos(1)) {
        selector.select(TimeUnit.NANOSECONDS.toMillis(waitNanos));
      } else {
        long sleepNanos = busy ? Math.min(waitNanos, settings.tickNanos()) : waitNanos;
        if (sleepNanos > 0) {
          LockSupport.parkNanos(sleepNanos);
        }
        selector.selectNow();
      }
      handleSelected();
    }
    if (loopCpu == 0 && loopCpuStart >= 0) {
      loopCpu = THREADS.getCurrentThreadCpuTime() - loopCpuStart;
      loopUser = THREADS.getCurrentThreadUserTime() - loopUserStart;
      processCpu = processCpuNanos() - processCpuStart;
    }
    for (Connection connection : connections) {
      connection.close();
    }
    selector.close();
    return new Result(settings.rate(), settings.measureNanos() / 1e9, measuredTo - measuredFrom, written, answered,
        non2xx, lost, connectionErrors, statusCounts.clone(), maxQueued, latencyMicros, loopCpu, loopUser, processCpu,
        wakeUps);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private void awaitConnected() throws IOException {
    long giveUp = now + TimeUnit.SECONDS.toNanos(10);
    while (Arrays.stream(connections).anyMatch(connection -> !connection.connected)) {
      now = System.nanoTime();
      if (now > giveUp) {
        throw new IOException("could not open " + connections.length + " connections to " + settings.address()
            + " within 10 s");
      }
      reopenClosed();
      selector.select(10);
      handleSelected();
    }
  }

  private void enqueue(long sequence) {
    if (queueSize == queue.length) {
      throw new IllegalStateException("the request queue is full");
    }
    queue[(queueHead + queueSize) % queue.length] = sequence;
    queueSize++;
    maxQueued = Math.max(maxQueued, queueSize);
  }

  private void dispatch() {
    while (queueSize > 0 && idleCount > 0) {
      Connection connection = idle[--idleCount];
      connection.listedIdle = false;
      if (connection.connected && connection.inFlight < 0) { // it may have closed since it was listed
        long sequence = queue[queueHead];
        queueHead = (queueHead + 1) % queue.length;
        queueSize--;
        connection.send(sequence);
      }
    }
  }

  private void reopenClosed() {
    if (closedCount == 0) {
      return;
    }
    for (Connection connection : connections) {
      if (connection.channel == null && now >= connection.reopenAfterNanos) {
        connection.open();
      }
    }
  }

  private void handleSelected() {
    Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
    if (selected.hasNext()) {
      now = System.nanoTime();
    }
    while (selected.hasNext()) {
      SelectionKey key = selected.next();
      selected.remove();
      Connection connection = (Connection) key.attachment();
      if (!key.isValid()) {
        continue;
      }
      if (key.isConnectable()) {
        connection.finishConnect();
      } else {
        if (key.isWritable()) {
          connection.writeRest();
        }
        if (key.isValid() && key.isReadable()) {
          connection.read();
        }
      }
    }
  }

  private boolean measured(long sequence) {
    return sequence >= measuredFrom && sequence < measuredTo;
  }

  /** One keep-alive connection; {@code inFlight} is the sequence number of its unanswered request, or -1. */
  private final class Connection {
    private final ByteBuffer out = ByteBuffer.allocateDirect(template.length());
    private final HttpResponseParser parser = new HttpResponseParser();
    private SocketChannel channel;
    private SelectionKey key;
    private boolean connected;
    private boolean listedIdle;
    private long inFlight = -1;
    private long reopenAfterNanos;

    Connection() {
      template.copyTo(out);
      closedCount++;
    }

    void open() {
      parser.reset();
      try {
        channel = SocketChannel.open();
        closedCount--;
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(settings.address())) {
          key = channel.register(selector, SelectionKey.OP_READ, this);
          becomeIdle();
          connected = true;
        } else {
          key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        failed();
      }
    }

    void finishConnect() {
      try {
        channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        connected = true;
        becomeIdle();
      } catch (IOException e) {
        failed();
      }
    }

    private void becomeIdle() {
      if (!listedIdle) {
        listedIdle = true;
        idle[idleCount++] = this;
      }
    }

    void send(long sequence) {
      inFlight = sequence;
      inFlightCount++;
      template.stamp(out, sequence);
      writeRest();
    }

    void writeRest() {
      try {
        channel.write(out);
        if (out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
          return;
        }
        key.interestOps(SelectionKey.OP_READ);
        if (measured(inFlight) && now < windowEndNanos) {
          written++;
        }
      } catch (IOException e) {
        failed();
      }
    }

    void read() {
      try {
        while (true) {
          readBuffer.clear();
          int read = channel.read(readBuffer);
          if (read < 0) {
            endOfStream();
            return;
          }
          readBuffer.flip();
          while (readBuffer.hasRemaining()) {
            if (parser.feed(readBuffer) && !answered(parser.status(), parser.closes())) {
              return;
            }
          }
          if (read < readBuffer.capacity()) {
            return;
          }
        }
      } catch (IOException | HttpResponseParser.MalformedResponse e) {
        failed();
      }
    }

    private void endOfStream() {
      if (parser.endOfStream()) {
        answered(parser.status(), true);
      } else if (inFlight >= 0 || !parser.idle()) {
        failed();
      } else {
        closeAndReopen(); // an idle keep-alive connection the server let go
      }
    }

    /** @return whether the connection stays open for the next request */
    private boolean answered(int status, boolean close) {
      if (inFlight < 0) {
        failed(); // a response to no request: the stream can no longer be trusted
        return false;
      }
      if (measured(inFlight)) {
        answered++;
        statusCounts[Math.min(Math.max(status, 0), statusCounts.length - 1)]++;
        if (status / 100 != 2) {
          non2xx++;
        }
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
            (now - schedule.dueNanos(inFlight)) / 1000));
      }
      inFlight = -1;
      inFlightCount--;
      if (close || out.hasRemaining()) {
        closeAndReopen(); // an answer before the whole request was written leaves unread body on the socket
        return false;
      }
      becomeIdle();
      return true;
    }

    /** A connection error: its request (if any) is lost and counted. */
    private void failed() {
      if (inFlight >= 0 && measured(inFlight)) {
        lost++;
      } else if (inFlight < 0 && schedule != null && now >= measuredStartNanos && now < windowEndNanos) {
        connectionErrors++;
      }
      close();
      reopenAfterNanos = now + RECONNECT_PAUSE_NANOS;
    }

    private void closeAndReopen() {
      close();
      reopenAfterNanos = now;
    }

    void close() {
      if (inFlight >= 0) {
        inFlight = -1;
        inFlightCount--;
      }
      connected = false;
      out.position(out.limit());
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing is all that is left to do with it
        }
        channel = null;
        key = null;
        closedCount++;
      }
    }
  }
}
