package io.gameevents.delivery.file;

import io.gameevents.util.PrivateFiles;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkHealth;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.WriteResult;
import io.gameevents.util.Gzip;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The embedded sink: newline-delimited JSON in a Firehose-to-S3-like layout
 * {@code <directory>/YYYY/MM/DD/HH/<stream>-<yyyy-MM-dd-HH-mm-ss>-<uuid>.ndjson[.gz]}.
 *
 * <p>Durability: each write is one group commit (all records, then one fsync) and is confirmed
 * only after the fsync. Readers never see a half-written file: the open file has a hidden
 * in-progress name ({@code .<name>.inprogress}) and is renamed on rotation (size, age, or a new hour).
 * With gzip, each write is a complete gzip member, so the file is valid gzip after every commit.
 *
 * <p>All file I/O runs on a worker thread, ordered, so one instance never writes concurrently.
 * Each delivery-verticle instance has its own sink and so its own file.
 */
public final class FileSink implements Sink {

  static final String IN_PROGRESS_SUFFIX = ".inprogress";
  private static final Logger log = LoggerFactory.getLogger(FileSink.class);
  private static final DateTimeFormatter HOUR_DIR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final FileSinkConfig config;
  private final Clock clock;
  private final Path root;

  // touched only on the ordered worker
  private FileChannel channel;
  private Path inProgress;
  private Path finalName;
  private Instant openedAt;
  private String openedHour;
  private long fileBytes;
  private final Encoded encoded = new Encoded();

  private volatile SinkHealth health;
  private long rotationTimer = -1;

  public FileSink(Vertx vertx, FileSinkConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.root = Path.of(config.directory());
    this.health = SinkHealth.ready("writing to " + root.toAbsolutePath());
  }

  /** Files take any batch: delivery.max_batch_records and max_batch_bytes bound it. */
  static final SinkLimits LIMITS = new SinkLimits(Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);

  @Override
  public SinkLimits limits() {
    return LIMITS;
  }

  @Override
  public Future<Void> start() {
    return vertx.<Void>executeBlocking(() -> {
      PrivateFiles.createDirectories(root);
      if (!Files.isWritable(root)) {
        throw new IOException("directory " + root.toAbsolutePath() + " is not writable");
      }
      return null;
    }).onSuccess(ok -> {
      rotationTimer = vertx.setPeriodic(1000, id -> housekeeping());
      OpenWriters.register(root, this);
    });
  }

  @Override
  public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
    return vertx.executeBlocking(() -> {
      try {
        append(records);
        health = SinkHealth.ready("writing to " + root.toAbsolutePath());
        return WriteResult.allDelivered(records.size());
      } catch (IOException | UncheckedIOException e) {
        health = SinkHealth.notReady("cannot write to " + root.toAbsolutePath() + ": " + e.getMessage());
        throw e;
      }
    }, true);
  }

  @Override
  public SinkHealth health() {
    return health;
  }

  @Override
  public Future<Void> close() {
    if (rotationTimer >= 0) {
      vertx.cancelTimer(rotationTimer);
    }
    OpenWriters.unregister(root, this);
    return vertx.executeBlocking(() -> {
      closeFile();
      return null;
    }, true);
  }

  /**
   * Publishes the file in progress now, on the writer's own ordered worker, so an erasure can rewrite it as a sealed
   * file without racing an append ({@link LakeStore}). The next write opens a new file.
   */
  Future<Void> seal() {
    return vertx.executeBlocking(() -> {
      closeFile();
      return null;
    }, true);
  }

  /**
   * Renames files left in progress by a previous run (crash): their fsynced content was acknowledged. Only regular
   * files: a link or a directory named like one is not ours, and truncating a link's target would damage a file
   * anywhere the service may write.
   */
  public static int recoverInProgressFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int recovered = 0;
    try (var files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.getFileName().toString().endsWith(IN_PROGRESS_SUFFIX))
          .filter(PrivateFiles::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        String published = name.substring(1, name.length() - IN_PROGRESS_SUFFIX.length());
        dropTornTail(file, published.endsWith(".gz"));
        Files.move(file, file.resolveSibling(published), StandardCopyOption.ATOMIC_MOVE);
        recovered++;
      }
    }
    return recovered;
  }

  private void append(List<byte[]> records) throws IOException {
    Instant now = clock.instant();
    if (channel != null && rotationDue(now)) {
      closeFile();
    }
    if (channel == null) {
      openFile(now);
    }
    ByteBuffer bytes = encode(records);
    long goodSize = fileBytes;
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
      fileBytes = channel.position();
    } catch (IOException e) {
      // leave no partial batch behind: the client is told "not stored" and will retry
      try {
        channel.truncate(goodSize);
        channel.position(goodSize);
      } catch (IOException ignored) {
        closeQuietly();
      }
      throw e;
    } finally {
      encoded.release();
    }
  }

  /**
   * One write's bytes, as a view of {@link #encoded}: the records are copied once, into a buffer kept for the
   * next write (the ByteArrayOutputStream and its toByteArray copy were 1.5 KB per event in the batch profile).
   */
  ByteBuffer encode(List<byte[]> records) throws IOException {
    encoded.reset();
    if (config.gzip()) {
      try (var gzip = new GZIPOutputStream(encoded, 64 * 1024)) {
        for (byte[] record : records) {
          gzip.write(record);
          gzip.write('\n');
        }
      }
    } else {
      int size = 0;
      for (byte[] record : records) {
        size += record.length + 1;
      }
      encoded.ensureCapacity(size);
      for (byte[] record : records) {
        encoded.append(record);
      }
    }
    return encoded.view();
  }

  /** The encoding buffer: a ByteArrayOutputStream whose array is lent out instead of copied. */
  static final class Encoded extends ByteArrayOutputStream {
    /** A buffer grown beyond this (a batch above delivery.max_batch_bytes' default) is not kept after its write. */
    static final int MAX_KEPT_BYTES = 4 * 1024 * 1024;

    Encoded() {
      super(64 * 1024);
    }

    void ensureCapacity(int capacity) {
      if (buf.length < capacity) {
        buf = Arrays.copyOf(buf, Math.max(capacity, Math.min(2 * buf.length, MAX_KEPT_BYTES)));
      }
    }

    /** A record and its newline; the caller made room with {@link #ensureCapacity}. */
    void append(byte[] record) {
      System.arraycopy(record, 0, buf, count, record.length);
      count += record.length;
      buf[count++] = '\n';
    }

    ByteBuffer view() {
      return ByteBuffer.wrap(buf, 0, count);
    }

    /** After the write: forget the bytes, and the array itself when a huge batch grew it. */
    void release() {
      reset();
      if (buf.length > MAX_KEPT_BYTES) {
        buf = new byte[64 * 1024];
      }
    }
  }

  private boolean rotationDue(Instant now) {
    return fileBytes >= config.rotateBytes()
        || !now.isBefore(openedAt.plusSeconds(config.rotateSeconds()))
        || !HOUR_DIR.format(now).equals(openedHour);
  }

  /** Every second: close a file that is due for rotation, and re-check a sink that failed. */
  private void housekeeping() {
    vertx.executeBlocking(() -> {
      if (channel != null && rotationDue(clock.instant())) {
        closeFile();
      }
      if (!health.ready()) {
        probe(); // without this, a sink that /ready reported broken would get no writes to recover by
      }
      return null;
    }, true).onFailure(e -> log.warn("file sink housekeeping failed: {}", e.toString()));
  }

  private void probe() {
    Path probe = root.resolve(".probe-" + UUID.randomUUID());
    try {
      PrivateFiles.createDirectories(root);
      try (FileChannel file = PrivateFiles.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        file.write(ByteBuffer.wrap(new byte[] {'\n'}));
        file.force(false);
      }
      health = SinkHealth.ready("writing to " + root.toAbsolutePath());
      log.info("file sink writable again: {}", root.toAbsolutePath());
    } catch (IOException e) {
      health = SinkHealth.notReady("cannot write to " + root.toAbsolutePath() + ": " + e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // the next probe tries again
      }
    }
  }

  private void openFile(Instant now) throws IOException {
    openedHour = HOUR_DIR.format(now);
    Path dir = root.resolve(openedHour);
    PrivateFiles.createDirectories(dir);
    String name = config.stream() + "-" + FILE_TIME.format(now) + "-" + UUID.randomUUID() + ".ndjson"
        + (config.gzip() ? ".gz" : "");
    finalName = dir.resolve(name);
    inProgress = dir.resolve("." + name + IN_PROGRESS_SUFFIX);
    channel = PrivateFiles.open(inProgress, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // the new file's name (and any new YYYY/MM/DD/HH directory) must survive a crash as well as its
    // content: fsync the directories up to the root before the first acknowledgement
    for (Path synced = dir; synced != null && synced.startsWith(root); synced = synced.getParent()) {
      syncDirectory(synced);
    }
    openedAt = now;
    fileBytes = 0;
  }

  private void closeFile() throws IOException {
    if (channel == null) {
      return;
    }
    channel.force(true);
    channel.close();
    channel = null;
    if (fileBytes == 0) {
      Files.delete(inProgress);
    } else {
      Files.move(inProgress, finalName, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(finalName.getParent());
    }
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing; the next write opens a fresh file
    }
    channel = null;
  }

  static void syncDirectory(Path dir) {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException ignored) {
      // not supported on every platform; the rename itself is atomic
    }
  }

  /**
   * A crash mid-write can leave a partial last line, or a partial last gzip member: never
   * acknowledged, so cut it off and keep what was.
   */
  private static void dropTornTail(Path file, boolean gzip) throws IOException {
    if (gzip) {
      try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        int complete = Gzip.completeMembersLength(readAll(channel));
        if (complete < channel.size()) {
          channel.truncate(complete);
          channel.force(true);
        }
      }
      return;
    }
    try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long end = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (end > 0) {
        one.clear();
        channel.read(one, end - 1);
        if (one.get(0) == '\n') {
          break;
        }
        end--;
      }
      if (end < size) {
        channel.truncate(end);
        channel.force(true);
      }
    }
  }

  /** The whole file (a sink file: about delivery.file.rotate_bytes at most, as Files.readAllBytes read it). */
  private static byte[] readAll(FileChannel channel) throws IOException {
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(channel.size()));
    while (all.hasRemaining()) {
      if (channel.read(all, all.position()) < 0) {
        break;
      }
    }
    return all.array();
  }
}
