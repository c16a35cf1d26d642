package io.gameevents.delivery.file;

import io.gameevents.util.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A tree of record files written by file sinks (the lake, the refused tree), rewritten without the lines a filter
 * drops: each sink writing under it seals its file in progress first, on its own thread, then every record file is
 * replaced by its rewritten copy ({@link RecordFileRewrite}). Shared so that every tree an erasure reaches is
 * sealed and rewritten the same way.
 */
public final class RecordTree {

  private static final long SEAL_TIMEOUT_SECONDS = 60;

  /** What a pass over the tree did. */
  public record Erased(int sealed, long removed, int rewritten) {
  }

  private final Path root;
  private final RecordFileRewrite.BeforeReplace beforeReplace;

  public RecordTree(Path root) {
    this(root, RecordFileRewrite.BeforeReplace.NOTHING);
  }

  RecordTree(Path root, RecordFileRewrite.BeforeReplace beforeReplace) {
    this.root = root;
    this.beforeReplace = beforeReplace;
  }

  /** One pass at a time: two passes rewriting the same file would each replace the other's copy. */
  public synchronized Erased rewrite(RecordFileRewrite.LineFilter drop) throws IOException {
    int sealed = sealFilesInProgress();
    long removed = 0;
    int rewritten = 0;
    for (Path file : recordFiles()) {
      RecordFileRewrite.Result result = RecordFileRewrite.rewrite(file, drop, beforeReplace);
      removed += result.dropped();
      rewritten += result.replaced() ? 1 : 0;
    }
    return new Erased(sealed, removed, rewritten);
  }

  /**
   * How many lines of the sealed record files the filter selects, changing nothing (the filter of
   * {@link #rewrite} may see a line twice: it reads a file once to know whether to copy it).
   */
  public synchronized long count(RecordFileRewrite.LineFilter select) throws IOException {
    long selected = 0;
    for (Path file : recordFiles()) {
      selected += RecordFileRewrite.count(file, select);
    }
    return selected;
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
      files = walk.filter(PrivateFiles::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(RecordFileRewrite.COPY_SUFFIX)) {
        Files.deleteIfExists(file);
      }
    }
    return files.stream().filter(RecordTree::isSealedRecordFile).toList();
  }

  private static boolean isSealedRecordFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".ndjson") || name.endsWith(".ndjson.gz");
  }
}
