package io.gameevents.forward;

import io.gameevents.config.SpoolConfig;
import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.util.PrivateFiles;
import io.gameevents.delivery.SinkState;
import io.gameevents.delivery.SpoolGate;
import io.gameevents.delivery.file.FileSinkType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's spool, shared by its delivery instances (which append fsynced segments and ask
 * {@link #accepting()} first) and its forwarder instances (which ship and delete them). Keeps the
 * figures operators watch: its size against {@code spool.max_bytes}, the free disk, the segments
 * waiting, the age of the oldest unforwarded record, and the remote sink's health.
 */
public final class Spool implements SpoolGate, AutoCloseable {

  /** Segment names start with this: the file sink's {@code stream} for the spool. */
  public static final String SEGMENT_PREFIX = "spool";

  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final long AGE_WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final SpoolConfig config;
  private final Path root;
  private final AutoCloseable lock;
  private SpoolErasures erasures;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong unforwardedBytes = new AtomicLong();
  private volatile long freeBytes = Long.MAX_VALUE;
  private volatile int segments;
  private volatile long oldestRecordMillis;
  private volatile SinkState remoteState = new SinkState.Fatal("the forwarder has not started yet");
  private volatile boolean wasFull;
  private long lastAgeWarnNanos;
  final Counter forwardedEvents;
  final Counter forwardedSegments;

  private Spool(SpoolConfig config, AutoCloseable lock, MeterRegistry registry) {
    this.config = config;
    this.root = Path.of(config.directory());
    this.lock = lock;
    Gauge.builder("game_events_spool_bytes", bytes, AtomicLong::get).baseUnit("bytes")
        .description("Bytes of spool segments on this node's disk").register(registry);
    Gauge.builder("game_events_spool_max_bytes", config, SpoolConfig::maxBytes).baseUnit("bytes")
        .description("spool.max_bytes: past it new requests get 503").register(registry);
    Gauge.builder("game_events_spool_unforwarded_bytes", unforwardedBytes, AtomicLong::get).baseUnit("bytes")
        .description("Spooled bytes the remote sink has not confirmed yet (the checkpoint lag)").register(registry);
    Gauge.builder("game_events_spool_segments", this, spool -> spool.segments)
        .description("Spool segments waiting to be forwarded (the open ones included)").register(registry);
    Gauge.builder("game_events_spool_oldest_record_age_seconds", this, Spool::oldestRecordAgeSeconds)
        .baseUnit("seconds").description("Age of the oldest unforwarded record (0 when the spool is empty)")
        .register(registry);
    Gauge.builder("game_events_spool_max_age_seconds", config, c -> c.maxAgeHours() * 3600.0).baseUnit("seconds")
        .description("spool.max_age_hours: an older unforwarded record raises an alert").register(registry);
    Gauge.builder("game_events_spool_accepting", this, spool -> spool.accepting() ? 1 : 0)
        .description("1 while the spool takes new events, 0 when full (requests get 503)").register(registry);
    Gauge.builder("game_events_forward_sink_ready", this, spool -> spool.remoteState.ready() ? 1 : 0)
        .description("1 while the forwarder's remote sink accepts writes").register(registry);
    forwardedEvents = Counter.builder("game_events_forward_events")
        .description("Events the remote sink confirmed from the spool").register(registry);
    forwardedSegments = Counter.builder("game_events_forward_segments")
        .description("Spool segments fully forwarded and deleted").register(registry);
  }

  /**
   * Blocking: locks the spool directory, publishes segments a crash left open, and measures what is
   * there (a restart resumes forwarding it).
   */
  public static Spool open(SpoolConfig config, MeterRegistry registry) throws Exception {
    AutoCloseable lock = FileSinkType.prepareDirectory(segmentFiles(config), "spool.directory");
    Spool spool = new Spool(config, lock, registry);
    try {
      spool.erasures = SpoolErasures.open(spool.root);
      SpoolScan scan = SpoolScan.of(spool.root);
      spool.bytes.set(scan.totalBytes());
      spool.update(scan);
      if (scan.segments().size() > 0) {
        log.info("spool {} holds {} segment(s), {} bytes not forwarded yet: forwarding resumes from their checkpoints",
            spool.root.toAbsolutePath(), scan.segments().size(), scan.unforwardedBytes());
      }
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
    return spool;
  }

  /** The subjects whose records the forwarder drops (privacy erasures). */
  SpoolErasures erasures() {
    return erasures;
  }

  public SpoolConfig config() {
    return config;
  }

  public Path root() {
    return root;
  }

  /** Whether a new batch may be spooled: under {@code max_bytes}, and the disk above its floor. */
  @Override
  public boolean accepting() {
    return bytes.get() < config.maxBytes() && freeBytes >= config.minFreeBytes();
  }

  /** Why {@link #accepting()} is false, for the 503's detail and the log. */
  @Override
  public String fullReason() {
    if (freeBytes < config.minFreeBytes()) {
      return "the disk holding the spool has " + freeBytes + " bytes free, under spool.min_free_bytes ("
          + config.minFreeBytes() + ")";
    }
    return "the spool holds " + bytes.get() + " bytes, spool.max_bytes is " + config.maxBytes();
  }

  /** A delivery instance fsynced this many bytes to its segment. */
  @Override
  public void written(long count) {
    bytes.addAndGet(count);
    unforwardedBytes.addAndGet(count);
    checkFull();
  }

  /** The remote sink confirmed this many bytes of a segment. */
  void confirmed(long count) {
    unforwardedBytes.addAndGet(-count);
  }

  /** A forwarded segment of this size was deleted. */
  void deleted(long size) {
    bytes.addAndGet(-size);
    forwardedSegments.increment();
    checkFull();
  }

  /** Figures of the latest directory scan (blocking callers: the forwarder's scan runs on a worker). */
  void update(SpoolScan scan) {
    segments = scan.segments().size() + scan.openSegments();
    oldestRecordMillis = scan.oldestSegmentMillis();
    unforwardedBytes.set(scan.unforwardedBytes());
    try {
      PrivateFiles.createDirectories(root);
      freeBytes = Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      log.warn("cannot read the free space of {}: {}", root, e.toString());
    }
    checkFull();
    warnIfTooOld();
  }

  @Override
  public SinkState remoteState() {
    return remoteState;
  }

  void remoteState(SinkState state) {
    remoteState = state;
  }

  @Override
  public JsonObject figures() {
    return new JsonObject().put("bytes", bytes()).put("max_bytes", config.maxBytes())
        .put("unforwarded_bytes", unforwardedBytes()).put("segments", segments)
        .put("oldest_record_age_seconds", oldestRecordAgeSeconds()).put("accepting", accepting());
  }

  public long bytes() {
    return bytes.get();
  }

  public long unforwardedBytes() {
    return unforwardedBytes.get();
  }

  public int segments() {
    return segments;
  }

  public double oldestRecordAgeSeconds() {
    long oldest = oldestRecordMillis;
    return oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
  }

  private void checkFull() {
    boolean full = !accepting();
    if (full != wasFull) {
      wasFull = full;
      if (full) {
        log.error("spool full: {}. New requests get 503 until the forwarder catches up; nothing spooled is dropped",
            fullReason());
      } else {
        log.info("spool accepts events again ({} bytes)", bytes.get());
      }
    }
  }

  private synchronized void warnIfTooOld() {
    double age = oldestRecordAgeSeconds();
    long now = System.nanoTime();
    if (age > config.maxAgeHours() * 3600.0
        && (lastAgeWarnNanos == 0 || now - lastAgeWarnNanos >= AGE_WARN_INTERVAL_NANOS)) {
      lastAgeWarnNanos = now;
      log.error("spool {}: the oldest unforwarded record is {} h old, past spool.max_age_hours ({}); it is kept and"
              + " still forwarded. Remote sink: {}", root.toAbsolutePath(), String.format("%.1f", age / 3600),
          config.maxAgeHours(), remoteState.detail());
    }
  }

  @Override
  public void close() {
    try {
      lock.close();
    } catch (Exception e) {
      log.warn("cannot release the spool lock: {}", e.toString());
    }
  }

  /** The spool's segments are file-sink files: same format, same fsync and crash recovery. */
  public static FileSinkConfig segmentFiles(SpoolConfig config) {
    return new FileSinkConfig(config.directory(), SEGMENT_PREFIX, config.segmentBytes(), config.segmentSeconds(), false);
  }
}
