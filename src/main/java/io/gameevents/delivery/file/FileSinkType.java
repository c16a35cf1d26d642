package io.gameevents.delivery.file;

import io.gameevents.config.Section;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.SinkType;
import io.gameevents.delivery.StoredRecords;
import io.gameevents.util.DirectoryLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** The embedded sink: fsynced NDJSON files on this machine. */
public final class FileSinkType implements SinkType<FileSinkConfig> {

  public static final FileSinkType TYPE = new FileSinkType();

  private static final Logger log = LoggerFactory.getLogger(FileSinkType.class);

  private FileSinkType() {
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public FileSinkConfig parse(Section section, boolean chosen) {
    return FileSinkConfig.from(section);
  }

  @Override
  public Sink create(Vertx vertx, FileSinkConfig config, MeterRegistry registry) {
    return new FileSink(vertx, config, Clock.systemUTC());
  }

  @Override
  public SinkLimits limits(FileSinkConfig config) {
    return FileSink.LIMITS;
  }

  @Override
  public RetryPolicy retryPolicy(FileSinkConfig config) {
    return RetryPolicy.ONE_ATTEMPT; // a failed fsync is answered 503 at once; the client retries
  }

  @Override
  public int concurrentWrites(FileSinkConfig config) {
    return 1; // one ordered stream of appends per instance
  }

  @Override
  public boolean remote() {
    return false;
  }

  @Override
  public java.util.Optional<StoredRecords> storedRecords(FileSinkConfig config) {
    return java.util.Optional.of(new FileSinkRecords(config));
  }

  /** Locks the directory (the lock file beside it), then publishes files a crashed run left in progress. */
  @Override
  public AutoCloseable prepare(FileSinkConfig config) throws Exception {
    return prepareDirectory(config, "delivery.file.directory");
  }

  /** Also used for the spool, whose segments are file-sink files in their own directory. */
  public static AutoCloseable prepareDirectory(FileSinkConfig config, String key) throws Exception {
    Path root = Path.of(config.directory());
    DirectoryLock lock = DirectoryLock.acquireBeside(root, key);
    try {
      int recovered = FileSink.recoverInProgressFiles(root);
      if (recovered > 0) {
        log.info("published {} file(s) left in progress by the previous run in {}", recovered, root);
      }
      return lock;
    } catch (Exception e) {
      lock.close();
      throw e;
    }
  }
}
