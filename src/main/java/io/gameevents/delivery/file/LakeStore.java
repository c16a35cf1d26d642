package io.gameevents.delivery.file;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.privacy.SubjectRecords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The file sink's lake as an erasable store: every record file under {@code delivery.file.directory}, sealed or in
 * progress, plain or gzip, is replaced by a copy without the subject's records ({@link RecordFileRewrite}).
 *
 * <p>The file in progress belongs to its sink's writer thread, so each sink writing here seals it first, on that
 * thread; the store then rewrites it like any sealed file, and the sink's next write opens a new one. Events of the
 * subject that passed the suppression check before the request took effect and arrive after the seal land in that
 * new file: the request's orchestration suppresses first, then erases, so only what was already in flight can.
 */
public final class LakeStore implements ErasableStore {

  public static final String NAME = "lake";

  private static final long SEAL_TIMEOUT_SECONDS = 60;

  private final Path root;
  private final Clock clock;
  private final RecordFileRewrite.BeforeReplace beforeReplace;

  /** The lake of the configured sink, when it is the file sink (a Firehose node has no lake; its spool is a store). */
  public static java.util.Optional<LakeStore> of(io.gameevents.delivery.ConfiguredSink<?> sink, Clock clock) {
    if (sink.type() == FileSinkType.TYPE && sink.config() instanceof FileSinkConfig files) {
      return java.util.Optional.of(new LakeStore(Path.of(files.directory()), clock));
    }
    return java.util.Optional.empty();
  }

  public LakeStore(Path root, Clock clock) {
    this(root, clock, RecordFileRewrite.BeforeReplace.NOTHING);
  }

  LakeStore(Path root, Clock clock, RecordFileRewrite.BeforeReplace beforeReplace) {
    this.root = root;
    this.clock = clock;
    this.beforeReplace = beforeReplace;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** One erasure at a time: two requests rewriting the same file would each replace the other's copy. */
  @Override
  public synchronized StoreReceipt erase(Subject subject) throws IOException {
    int sealed = sealFilesInProgress();
    long removed = 0;
    int rewritten = 0;
    for (Path file : recordFiles()) {
      RecordFileRewrite.Result result =
          RecordFileRewrite.rewrite(file, (line, from, to) -> SubjectRecords.belongsTo(subject, line, from, to),
              beforeReplace);
      removed += result.dropped();
      rewritten += result.replaced() ? 1 : 0;
    }
    return new StoreReceipt(NAME, removed, rewritten, clock.instant(),
        sealed + " file(s) in progress sealed first; each file was replaced whole by its rewritten copy");
  }

  private int sealFilesInProgress() throws IOException {
    List<FileSink> writers = OpenWriters.under(root);
    for (FileSink writer : writers) {
      try {
        writer.seal().toCompletionStage().toCompletableFuture().get(SEAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("could not seal the file in progress under " + root + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sealing the file in progress under " + root, e);
      }
    }
    return writers.size();
  }

  /**
   * The sealed record files, after deleting the copies a crashed rewrite left behind. A file in progress now was
   * opened after the seal by a sink's next write, so it holds only records written since; it is not touched.
   */
  private List<Path> recordFiles() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(io.gameevents.util.PrivateFiles::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(RecordFileRewrite.COPY_SUFFIX)) {
        Files.deleteIfExists(file);
      }
    }
    return files.stream().filter(LakeStore::isSealedRecordFile).toList();
  }

  private static boolean isSealedRecordFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".ndjson") || name.endsWith(".ndjson.gz");
  }
}
