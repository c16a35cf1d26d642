package io.gameevents.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.vertx.core.json.JsonObject;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static net.logstash.logback.argument.StructuredArguments.keyValue;
import static net.logstash.logback.argument.StructuredArguments.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log's appender: lines written from its own thread, whole, in batches, none lost (a full queue
 * makes the logging thread wait; stop() writes what is queued), and byte for byte what the synchronous console
 * appender writes for the same event.
 */
class BatchingStdoutAppenderTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final LoggerContext context = new LoggerContext();
  private final Logger access = context.getLogger(LogSetup.ACCESS_LOGGER);
  private final Writes writes = new Writes();
  private final List<Thread> started = new ArrayList<>();
  private BatchingStdoutAppender appender;

  BatchingStdoutAppenderTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stop() throws InterruptedException {
    writes.release();
    if (appender != null) {
      appender.stop();
    }
    for (Thread thread : started) {
      thread.join(WAIT.toMillis());
    }
    context.stop();
  }

  @Test
  void linesFromTwoThreadsAreAllWrittenWholeByStop() throws Exception {
    appender = appender(new JsonLogEncoder(), BatchingStdoutAppender.DEFAULT_QUEUE_SIZE);
    int perThread = 3_000;
    // the writer is held in its first write while both threads log (fewer lines than the queue holds, so they
    // finish), and stop() finds thousands of lines queued
    writes.holdFirst();
    Thread one = producer("vert.x-eventloop-thread-0", perThread, null);
    Thread two = producer("vert.x-eventloop-thread-1", perThread, null);
    one.join(WAIT.toMillis());
    two.join(WAIT.toMillis());
    assertThat(one.isAlive() || two.isAlive()).as("producers done").isFalse();
    assertThat(appender.held()).isGreaterThan(perThread);

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(appender::stop);
    writes.release();
    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    List<JsonObject> lines = writes.lines().stream().map(JsonObject::new).toList();
    assertThat(lines).hasSize(2 * perThread);
    for (String thread : List.of("vert.x-eventloop-thread-0", "vert.x-eventloop-thread-1")) {
      assertThat(lines).filteredOn(line -> thread.equals(line.getString("thread")))
          .extracting(line -> line.getInteger("n")).containsExactlyElementsOf(IntStream.range(0, perThread).boxed().toList());
    }
    assertThat(writes.chunks()).allSatisfy(chunk -> assertThat(chunk).endsWith("\n"));
    assertThat(writes.chunks().size()).as("writes, one per batch").isLessThan(2 * perThread / 100);
  }

  @Test
  void aFullQueueMakesTheLoggingThreadWaitAndNothingIsDropped() throws Exception {
    appender = appender(new JsonLogEncoder(), 16);
    writes.holdFirst();
    AtomicInteger logged = new AtomicInteger();
    Thread producer = producer("vert.x-eventloop-thread-0", 200, logged);

    // the writer is stuck in its first write: 16 lines held (taken or queued), and the producer waits on the 17th
    await().atMost(WAIT).until(() -> producer.getState() == Thread.State.WAITING && appender.held() == 16);
    assertThat(logged.get()).isEqualTo(16);
    assertThat(producer.isAlive()).isTrue();

    writes.release();
    producer.join(WAIT.toMillis());
    assertThat(producer.isAlive()).isFalse();
    appender.stop();
    assertThat(writes.lines()).extracting(line -> new JsonObject(line).getInteger("n"))
        .containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
  }

  /** An idle writer sleeps until a line comes, and that line is written without waiting for stop(). */
  @Test
  void aLineAfterAQuietSpellWakesTheWriter() {
    appender = appender(new JsonLogEncoder(), BatchingStdoutAppender.DEFAULT_QUEUE_SIZE);
    access.info("{}", keyValue("n", 0));
    await().atMost(WAIT).until(() -> writes.lines().size() == 1);
    await().atMost(WAIT).until(appender::writerAsleep);

    access.info("{}", keyValue("n", 1));

    await().atMost(WAIT).until(() -> writes.lines().size() == 2);
    assertThat(writes.lines()).extracting(line -> new JsonObject(line).getInteger("n")).containsExactly(0, 1);
  }

  /**
   * Encoded on the writer's thread, the line still names the thread that logged it and carries its MDC: the
   * same bytes as the synchronous appender's.
   */
  @Test
  void aJsonLineIsByteIdenticalToTheSynchronousAppenders() throws Exception {
    assertSameBytesAsSynchronous(JsonLogEncoder::new).contains("\"trace\":\"t-7\"");
  }

  @Test
  void aTextLineIsByteIdenticalToTheSynchronousAppenders() throws Exception {
    // the text layout has no MDC
    assertSameBytesAsSynchronous(TextLogEncoder::new).contains("POST /v1/events/{type} 503\n");
  }

  /** The synchronous appender's output, for more checks; the batching one's was the same. */
  private AbstractStringAssert<?> assertSameBytesAsSynchronous(Supplier<Encoder<ILoggingEvent>> encoders)
      throws Exception {
    appender = appender(encoders.get(), BatchingStdoutAppender.DEFAULT_QUEUE_SIZE);
    ByteArrayOutputStream synchronous = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(started(encoders.get()));
    console.setOutputStream(synchronous);
    console.start();

    Thread loop = new Thread(() -> {
      context.getMDCAdapter().put("trace", "t-7");
      for (int status : List.of(200, 503)) {
        // two events alike, one to each appender: neither can compute the other's thread name or MDC
        Throwable thrown = status == 503 ? new IllegalStateException("sink down") : null;
        console.doAppend(event(status, thrown));
        appender.doAppend(event(status, thrown));
      }
    }, "vert.x-eventloop-thread-3");
    started.add(loop);
    loop.start();
    loop.join(WAIT.toMillis());
    appender.stop();
    console.stop();

    String expected = synchronous.toString(StandardCharsets.UTF_8);
    assertThat(writes.text()).isEqualTo(expected);
    return assertThat(expected).contains("vert.x-eventloop-thread-3").contains("java.lang.IllegalStateException: sink down");
  }

  private LoggingEvent event(int status, Throwable thrown) {
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), access, Level.INFO, "{} {} {}", thrown,
        new Object[] {value("method", "POST"), value("path", "/v1/events/{type}"), value("status", status),
            keyValue("request_id", "r-" + status), keyValue("duration_ms", 3L)});
    event.setTimeStamp(1_790_000_000_123L);
    return event;
  }

  private BatchingStdoutAppender appender(Encoder<ILoggingEvent> encoder, int queueSize) {
    BatchingStdoutAppender batching = new BatchingStdoutAppender();
    batching.setContext(context);
    batching.setName("ACCESS");
    batching.setEncoder(started(encoder));
    batching.setQueueSize(queueSize);
    batching.setTarget(writes);
    batching.start();
    assertThat(batching.isStarted()).isTrue();
    access.setAdditive(false);
    access.addAppender(batching);
    return batching;
  }

  private Encoder<ILoggingEvent> started(Encoder<ILoggingEvent> encoder) {
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /** Logs {@code lines} access lines numbered from 0 through the logger, from a thread named {@code name}. */
  private Thread producer(String name, int lines, AtomicInteger logged) {
    Thread thread = new Thread(() -> {
      for (int n = 0; n < lines; n++) {
        access.info("{} {} {}", value("method", "POST"), value("status", 200), keyValue("n", n));
        if (logged != null) {
          logged.incrementAndGet();
        }
      }
    }, name);
    started.add(thread);
    thread.start();
    return thread;
  }

  /** Stands for stdout: keeps each write apart; can hold the first write until released. */
  private static final class Writes extends OutputStream {
    private final List<byte[]> chunks = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hold;

    void holdFirst() {
      hold = true;
    }

    void release() {
      released.countDown();
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (hold) {
        // as stdout's write does, ignores interrupts (and keeps the flag)
        boolean interrupted = false;
        while (true) {
          try {
            released.await(60, TimeUnit.SECONDS);
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        hold = false;
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (this) {
        chunks.add(Arrays.copyOfRange(bytes, offset, offset + length));
      }
    }

    synchronized List<String> chunks() {
      return chunks.stream().map(chunk -> new String(chunk, StandardCharsets.UTF_8)).toList();
    }

    String text() {
      return String.join("", chunks());
    }

    List<String> lines() {
      return Arrays.stream(text().split("\n")).filter(line -> !line.isEmpty()).toList();
    }
  }
}
