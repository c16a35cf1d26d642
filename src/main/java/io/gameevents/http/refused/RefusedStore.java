package io.gameevents.http.refused;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.config.RefusedConfig;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.delivery.file.FileSinkType;
import io.gameevents.delivery.firehose.FirehoseSinkConfig;
import io.gameevents.delivery.firehose.FirehoseSinkType;
import io.gameevents.http.limit.AddressBuckets;
import io.gameevents.http.limit.TokenBucket;
import io.gameevents.privacy.Suppressions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Where a node keeps the events it refused for their content, and how much of them: one per node, shared by
 * its HTTP instances, each of which writes through a {@link Writer} of its own (its own file, as each
 * delivery instance has). The file sink's refused tree ({@code delivery.file.refused_directory}) or the
 * Firehose refused stream ({@code delivery.firehose.refused_stream_name}); none for a sink without one.
 *
 * <p>Bounded three ways, so that an abusive client can't fill the disk through this door: a budget of kept
 * refusals per (credential, client address), the refused tree's total size ({@code refused.max_bytes}) and its
 * retention ({@code refused.retention_days}, older files deleted every hour). Beyond any of them the refusal is
 * answered as before, "not kept", and counted so in {@code game_events_refused_total}.
 */
public final class RefusedStore {

  private static final Logger log = LoggerFactory.getLogger(RefusedStore.class);
  private static final long SWEEP_EVERY_MS = 3_600_000;

  /** Keeps nothing (a node that takes no events, or {@code refused.keep} false); still counts refusals. */
  public static RefusedStore off(MeterRegistry registry) {
    RefusedConfig none = new RefusedConfig(false, new RateLimitConfig(1, 1), 1, 1, 256, 10, 0);
    return new RefusedStore(none, null, null, 1, registry, System::nanoTime, Suppressions.NONE);
  }

  private final RefusedConfig config;
  /** Makes one instance's sink, or null: nothing is kept. */
  private final Function<Vertx, Sink> sinks;
  /** The refused tree of the file sink, or null (Firehose: no size on this node to bound). */
  private final Path root;
  private final AddressBuckets budget;
  private final AppVersionLabels versions;
  private final MeterRegistry registry;
  private final Suppressions suppressions;
  private final AtomicLong usedBytes = new AtomicLong();

  RefusedStore(RefusedConfig config, Function<Vertx, Sink> sinks, Path root, int maxAddresses, MeterRegistry registry,
               LongSupplier nanoClock, Suppressions suppressions) {
    this.suppressions = suppressions;
    this.config = config;
    this.sinks = sinks;
    this.root = root;
    this.budget = new AddressBuckets(Math.max(1, maxAddresses), nanoClock);
    this.versions = new AppVersionLabels(config.metricAppVersions());
    this.registry = registry;
  }

  /**
   * The store the configured sink has a place for: the file sink's refused tree, the Firehose refused stream
   * when one is named, else none.
   *
   * @param maxAddresses how many (credential, client address) budgets the node holds (http.max_rate_limited_addresses)
   * @param suppressions the players and devices whose refused events are never kept
   */
  public static RefusedStore of(RefusedConfig config, DeliveryConfig delivery, int maxAddresses, MeterRegistry registry,
                                LongSupplier nanoClock, Suppressions suppressions) {
    if (!config.keep()) {
      return new RefusedStore(config, null, null, maxAddresses, registry, nanoClock, suppressions);
    }
    if (delivery.sink().type() == FileSinkType.TYPE) {
      FileSinkConfig files = ((FileSinkConfig) delivery.sink().config()).refused();
      return new RefusedStore(config, vertx -> new FileSink(vertx, files, Clock.systemUTC()),
          Path.of(files.directory()), maxAddresses, registry, nanoClock, suppressions);
    }
    if (delivery.sink().type() == FirehoseSinkType.TYPE) {
      FirehoseSinkConfig stream = ((FirehoseSinkConfig) delivery.sink().config()).refused();
      if (stream != null) {
        // straight to the stream, in spool mode too: "kept" is the stream's confirmation, not this node's disk
        return new RefusedStore(config, vertx -> FirehoseSinkType.sink(vertx, stream, null), null, maxAddresses,
            registry, nanoClock, suppressions);
      }
    }
    return new RefusedStore(config, null, null, maxAddresses, registry, nanoClock, suppressions);
  }

  /**
   * The refused tree as a store an erasure rewrites, when this node keeps one (the file sink's; a Firehose refused
   * stream holds nothing on this node, and the warehouse's tombstone reaches what it delivered).
   */
  public java.util.Optional<io.gameevents.privacy.ErasableStore> erasable(Clock clock) {
    return root == null ? java.util.Optional.empty() : java.util.Optional.of(new RefusedErasure(root, clock));
  }

  /** Whether refused events are kept at all on this node. */
  public boolean keeps() {
    return sinks != null;
  }

  /** A suppressed player's or device's refused event is never kept. */
  public boolean suppressed(String appId, String playerId, String deviceId) {
    return suppressions.suppressed(appId, playerId, deviceId);
  }

  public int maxPayloadBytes() {
    return config.maxPayloadBytes();
  }

  /**
   * Blocking, before the HTTP stage starts: locks the refused tree, publishes the files a crashed run left in
   * progress (their records were answered "kept"), measures the tree, and deletes what is past retention every
   * hour from now on. The handle unlocks and stops the sweeps.
   */
  public AutoCloseable open(Vertx vertx) throws Exception {
    if (root == null) {
      return () -> { };
    }
    FileSinkConfig files = new FileSinkConfig(root.toString(), FileSinkConfig.REFUSED_STREAM, 1024, 1, false);
    AutoCloseable lock = FileSinkType.prepareDirectory(files, "delivery.file.refused_directory");
    try {
      sweep(Instant.now());
    } catch (IOException e) {
      lock.close();
      throw e;
    }
    long timer = vertx.setPeriodic(SWEEP_EVERY_MS, id -> vertx.executeBlocking(() -> sweep(Instant.now()), false)
        .onFailure(e -> log.warn("refused events: retention sweep failed: {}", e.toString())));
    return () -> {
      vertx.cancelTimer(timer);
      lock.close();
    };
  }

  /**
   * Deletes the published refused files last written before the retention, then measures what is left: the
   * size budget counts from that. Returns the number of files deleted.
   */
  int sweep(Instant now) throws IOException {
    if (!Files.isDirectory(root)) {
      usedBytes.set(0);
      return 0;
    }
    Instant cutoff = now.minus(Duration.ofDays(config.retentionDays()));
    int deleted = 0;
    long left = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.toList()) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
          continue;
        }
        boolean published = file.getFileName().toString().startsWith(FileSinkConfig.REFUSED_STREAM + "-");
        if (published && attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(file);
          deleted++;
        } else {
          left += attributes.size();
        }
      }
    }
    usedBytes.set(left);
    if (deleted > 0) {
      log.info("refused events: deleted {} file(s) older than refused.retention_days ({})", deleted,
          config.retentionDays());
    }
    return deleted;
  }

  /**
   * How many of {@code events} refusals of this (credential, client address) the budget lets be kept now; the
   * rest are answered "not kept".
   */
  public int admit(String credential, String addressGroup, int events) {
    TokenBucket bucket = budget.get(credential, addressGroup, config.perAddress());
    long now = bucket.now();
    int admitted = 0;
    while (admitted < events && bucket.tryTake(1, now) == 0) {
      admitted++;
    }
    return admitted;
  }

  /** Counts one refusal for its content, kept or not, by reason and (bounded) app_version. */
  public void count(String problemType, String appVersion, boolean kept) {
    Counter.builder("game_events_refused")
        .description("Events refused for their content, by whether they were kept, reason and app_version"
            + " (refused.metric_app_versions labels, later ones 'other')")
        .tag("kept", Boolean.toString(kept)).tag("reason", problemType).tag("app_version", versions.label(appVersion))
        .register(registry).increment();
  }

  /** The writer of one HTTP instance; starts its sink on that instance's context. */
  public Writer writer(Vertx vertx) {
    return new Writer(sinks == null ? null : sinks.apply(vertx));
  }

  /** One HTTP instance's way into the store: its own file (or Firehose client), on its own context. */
  public final class Writer {

    private final Sink sink;

    private Writer(Sink sink) {
      this.sink = sink;
    }

    public Future<Void> start() {
      return sink == null ? Future.succeededFuture() : sink.start();
    }

    public Future<Void> close() {
      return sink == null ? Future.succeededFuture() : sink.close();
    }

    /**
     * Writes the records (one per refused event, see {@link RefusedRecord}); true once they are as durable as a
     * stored event (fsynced, or confirmed by the stream), false when they are not kept: no store, over the size
     * budget, or the write failed or took longer than {@code refused.write_timeout_ms}. Never fails.
     */
    public Future<Boolean> keep(List<byte[]> records) {
      if (sink == null || records.isEmpty()) {
        return Future.succeededFuture(false);
      }
      long bytes = 0;
      for (byte[] record : records) {
        bytes += record.length + 1;
      }
      long reserved = root == null ? 0 : bytes;
      if (usedBytes.addAndGet(reserved) > config.maxBytes()) {
        usedBytes.addAndGet(-reserved);
        return Future.succeededFuture(false);
      }
      return sink.write(records, config.writeTimeoutMs())
          .timeout(config.writeTimeoutMs(), TimeUnit.MILLISECONDS)
          .map(WriteResult::complete)
          .otherwise(failure -> {
            log.warn("refused events: could not keep {} record(s): {}", records.size(), failure.toString());
            return false;
          })
          .onSuccess(kept -> {
            if (!kept) {
              usedBytes.addAndGet(-reserved);
            }
          });
    }
  }
}
