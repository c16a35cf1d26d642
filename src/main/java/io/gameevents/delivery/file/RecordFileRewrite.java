package io.gameevents.delivery.file;

import io.gameevents.util.PrivateFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Replaces one sealed record file (plain or gzip NDJSON) by a copy without the lines a predicate drops. The copy
 * ({@code .<name>.erasing}, beside the file, hidden from readers and from start-up recovery) is written in full and
 * fsynced before it is renamed over the file: a crash at any point leaves the old file or the new one, and at most a
 * stale copy that the next run deletes. Kept lines are copied byte for byte (a gzip file's decompressed bytes).
 */
public final class RecordFileRewrite {

  /** The suffix of a copy being written; a leftover one is a crashed rewrite's and is deleted. */
  public static final String COPY_SUFFIX = ".erasing";

  /** Which lines go: {@code line[from, to)}, without its newline. */
  @FunctionalInterface
  public interface LineFilter {
    boolean drop(byte[] line, int from, int to);
  }

  /** Runs once the copy is durable and before it replaces the file: a seam for tests that crash right there. */
  @FunctionalInterface
  interface BeforeReplace {
    BeforeReplace NOTHING = file -> { };

    void run(Path file) throws IOException;
  }

  /** What a rewrite did: the lines dropped, and whether the file was replaced (or removed, when nothing was left). */
  public record Result(long dropped, boolean replaced) {
    static final Result UNTOUCHED = new Result(0, false);
  }

  private RecordFileRewrite() {
  }

  public static boolean isGzip(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }

  public static Result rewrite(Path file, LineFilter filter) throws IOException {
    return rewrite(file, filter, BeforeReplace.NOTHING);
  }

  static Result rewrite(Path file, LineFilter filter, BeforeReplace beforeReplace) throws IOException {
    // most files hold none of a subject's lines: read them once and leave them alone
    if (copy(file, filter, OutputStream.nullOutputStream()).dropped() == 0) {
      return Result.UNTOUCHED;
    }
    Path copy = file.resolveSibling("." + file.getFileName() + COPY_SUFFIX);
    Files.deleteIfExists(copy);
    Counts counts;
    try (FileChannel channel = PrivateFiles.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream raw = Channels.newOutputStream(channel);
      if (isGzip(file)) {
        GZIPOutputStream gzip = new GZIPOutputStream(raw, 64 * 1024);
        counts = copy(file, filter, gzip);
        gzip.finish();
      } else {
        BufferedOutputStream plain = new BufferedOutputStream(raw, 64 * 1024);
        counts = copy(file, filter, plain);
        plain.flush();
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    beforeReplace.run(file);
    if (counts.kept() == 0) {
      Files.delete(copy);
      Files.delete(file); // an empty record file says nothing: remove it rather than publish nothing
    } else {
      Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    FileSink.syncDirectory(file.getParent());
    return new Result(counts.dropped(), true);
  }

  /** How many of the file's lines the filter selects, changing nothing. */
  static long count(Path file, LineFilter filter) throws IOException {
    return copy(file, filter, OutputStream.nullOutputStream()).dropped();
  }

  private record Counts(long kept, long dropped) {
  }

  /** Streams the file's lines, writing those the filter keeps (with their newline, or without one at the very end). */
  private static Counts copy(Path file, LineFilter filter, OutputStream out) throws IOException {
    long kept = 0;
    long dropped = 0;
    try (InputStream in = open(file)) {
      Lines lines = new Lines(in);
      while (lines.next()) {
        if (filter.drop(lines.buffer, 0, lines.length)) {
          dropped++;
        } else {
          kept++;
          out.write(lines.buffer, 0, lines.length + (lines.newline ? 1 : 0));
        }
      }
    }
    return new Counts(kept, dropped);
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return new BufferedInputStream(isGzip(file) ? new GZIPInputStream(in, 64 * 1024) : in, 64 * 1024);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** One line at a time into a reused buffer: a record file may be larger than memory should hold at once. */
  private static final class Lines {
    private final InputStream in;
    byte[] buffer = new byte[8 * 1024];
    int length;
    boolean newline;

    Lines(InputStream in) {
      this.in = in;
    }

    boolean next() throws IOException {
      length = 0;
      newline = false;
      int b;
      while ((b = in.read()) >= 0) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[length] = (byte) b;
        if (b == '\n') {
          newline = true;
          return true;
        }
        length++;
      }
      return length > 0;
    }
  }
}
