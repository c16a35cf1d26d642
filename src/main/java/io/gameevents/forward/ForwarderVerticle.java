package io.gameevents.forward;

import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.SinkStatus;
import io.gameevents.forward.SpoolScan.Segment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The forward stage ({@code delivery.ack = spool}): ships this node's spool to the remote sink.
 * Every 250 ms it scans the spool for closed segments (its share of them, by name, when there are
 * several instances) and forwards up to {@code concurrency} segments at once, each one call at a
 * time from its checkpoint on, in order, with full calls (the sink's limits). The retrying writer
 * behind it has no deadline: records are re-sent with backoff until the sink confirms them, through
 * any outage, and never dropped. After each confirmed call the segment's checkpoint is fsynced;
 * a fully forwarded segment is deleted. A restart resumes from the checkpoints, so what can arrive
 * twice is only the last call of each segment that was not confirmed yet.
 */
public final class ForwarderVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ForwarderVerticle.class);
  static final long SCAN_INTERVAL_MS = 250;

  private final Spool spool;
  private final Supplier<RetryingWriter> writerFactory;
  private final int concurrency;
  private final int instance;
  private final int instances;
  private final long failingForMs;
  private final Map<Path, SegmentForwarder> active = new HashMap<>();

  private RetryingWriter writer;
  private SinkStatus status;
  private SinkLimits limits;
  private long scanTimer = -1;
  private boolean scanning;
  private boolean stopping;

  /**
   * Everything the stage is built from; the composition root ({@code MainVerticle}) makes one per node.
   *
   * @param spool         this node's spool, which the stage ships
   * @param writerFactory the remote sink behind a writer without deadline, created on each instance's context
   * @param concurrency   segments forwarded at once per instance
   * @param instances     how many instances share the spool's segments (by name)
   * @param failingForMs  how long writes may all fail before the remote sink is shown not ready
   */
  public record Context(Spool spool, Supplier<RetryingWriter> writerFactory, int concurrency, int instances,
                        long failingForMs) {
  }

  /** @param instance this instance's number among {@code instances}: which segments are its share */
  public ForwarderVerticle(Context context, int instance) {
    this.spool = context.spool();
    this.writerFactory = context.writerFactory();
    this.concurrency = context.concurrency();
    this.instance = instance;
    this.instances = context.instances();
    this.failingForMs = context.failingForMs();
  }

  @Override
  public Future<?> start() {
    writer = writerFactory.get();
    status = SinkStatus.withoutBreaker(writer, writer.sinkName(), failingForMs);
    limits = writer.limits();
    return writer.sink().start().onSuccess(started -> {
      scanTimer = vertx.setPeriodic(SCAN_INTERVAL_MS, id -> scan());
      scan();
    });
  }

  /** Ends the calls in flight (their records stay in the spool, from the last checkpoint), then closes the sink. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(scanTimer);
    List<Future<Void>> segments = active.values().stream().map(SegmentForwarder::stopped).toList();
    return writer.close().transform(closed -> Future.join(segments)).mapEmpty();
  }

  private void scan() {
    if (scanning || stopping) {
      return;
    }
    scanning = true;
    vertx.executeBlocking(() -> {
      SpoolScan scan = SpoolScan.of(spool.root());
      if (instance == 0) {
        spool.update(scan); // reads the free disk space: blocking too
      }
      return scan;
    }, false).onComplete(scanned -> {
      scanning = false;
      if (scanned.failed()) {
        log.warn("cannot scan the spool {}: {}", spool.root(), scanned.cause().toString());
        return;
      }
      spool.remoteState(status.state());
      for (Segment segment : scanned.result().segments()) {
        if (active.size() >= concurrency || stopping) {
          break;
        }
        if (mine(segment) && !active.containsKey(segment.path())) {
          forward(segment);
        }
      }
    });
  }

  private boolean mine(Segment segment) {
    return Math.floorMod(segment.name().hashCode(), instances) == instance;
  }

  private void forward(Segment segment) {
    SegmentForwarder forwarder = new SegmentForwarder(vertx, spool, writer, limits, segment, () -> stopping);
    active.put(segment.path(), forwarder);
    forwarder.run().onComplete(done -> {
      active.remove(segment.path());
      if (done.failed()) {
        log.warn("forwarding spool segment {} paused: {}", segment.path(), done.cause().toString());
      } else if (!stopping) {
        scan(); // the next segment at once, not at the next tick
      }
    });
  }
}
