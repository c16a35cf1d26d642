package io.gameevents.support;

import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkHealth;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkType;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file sink with a hand on the tap: tests can hold writes (to catch events in flight),
 * make them fail, or slow them down. Thread-safe: tests drive it from their own thread.
 */
public final class ControlledSink implements Sink {

  public enum Mode { PASS, HOLD, FAIL }

  private final FileSink files;
  private final Vertx vertx;
  private final Context context;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayMs;
  /** What the sink's own check reports instead of the file sink's; null: the file sink's. */
  private volatile SinkHealth ownCheck;
  public final AtomicInteger writes = new AtomicInteger();
  public final List<Integer> writeSizes = new CopyOnWriteArrayList<>();

  private ControlledSink(Vertx vertx, DeliveryConfig config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.files = new FileSink(vertx, config.settings(FileSinkType.TYPE), Clock.systemUTC());
  }

  /** A factory that hands out this one sink (use with delivery.instances = 1). */
  public static final class Tap implements Sinks.Factory {
    private volatile ControlledSink sink;

    @Override
    public Sink create(Vertx vertx, DeliveryConfig config, MeterRegistry registry) {
      sink = new ControlledSink(vertx, config);
      return sink;
    }

    public ControlledSink sink() {
      return sink;
    }
  }

  public ControlledSink mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public ControlledSink delayMs(long delayMs) {
    this.delayMs = delayMs;
    return this;
  }

  /** Makes the sink's own check report this (null: the real file sink's again). */
  public ControlledSink ownCheck(SinkHealth health) {
    this.ownCheck = health;
    return this;
  }

  /** Lets every held write go on (to the file, or failing if the mode is now FAIL). */
  public void release() {
    Runnable next;
    while ((next = held.poll()) != null) {
      Runnable write = next;
      context.runOnContext(v -> write.run());
    }
  }

  public int heldWrites() {
    return held.size();
  }

  @Override
  public SinkLimits limits() {
    return files.limits();
  }

  @Override
  public Future<Void> start() {
    return files.start();
  }

  @Override
  public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
    writes.incrementAndGet();
    writeSizes.add(records.size());
    Promise<WriteResult> result = Promise.promise();
    Runnable write = () -> {
      if (mode == Mode.FAIL) {
        result.fail(new java.io.IOException("injected sink failure"));
      } else {
        files.write(records, timeoutMs).onComplete(result);
      }
    };
    if (mode == Mode.HOLD) {
      held.add(write);
    } else if (delayMs > 0) {
      vertx.setTimer(delayMs, id -> write.run());
    } else {
      write.run();
    }
    return result.future();
  }

  @Override
  public SinkHealth health() {
    SinkHealth override = ownCheck;
    return override != null ? override : files.health();
  }

  @Override
  public Future<Void> close() {
    return files.close();
  }
}
