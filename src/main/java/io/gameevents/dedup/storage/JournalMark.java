package io.gameevents.dedup.storage;

import io.gameevents.util.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * How far a dedup instance's journal is durable: {@code durable-through-<instance>} under {@code dedup.directory}
 * holds a time T such that every id this instance committed before T is fsynced in its journal. Start-up reads the
 * oldest mark to know from when on the sink's own files must be read back ({@link SinkRebuild}). Fsynced on each
 * write: the mark on disk is never later than the journal on disk, after a crash of the process or of the
 * machine. One 16-byte record (T and its complement), overwritten in place; a mark that does not check is
 * read as missing, which makes start-up read more of the sink, never less.
 */
public final class JournalMark implements AutoCloseable {

  static final String PREFIX = "durable-through-";
  private static final int BYTES = 16;

  private final FileChannel channel;
  private final ByteBuffer record = ByteBuffer.allocate(BYTES);

  private JournalMark(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens (creating) the mark of {@code instance}; blocking. */
  public static JournalMark open(Path directory, int instance) throws IOException {
    PrivateFiles.createDirectories(directory);
    return new JournalMark(PrivateFiles.open(file(directory, instance), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  /** Records that every id committed before {@code millis} is durable; blocking (one write and one fsync). */
  public void write(long millis) throws IOException {
    record.clear();
    record.putLong(millis).putLong(~millis).flip();
    while (record.hasRemaining()) {
      channel.write(record, record.position());
    }
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * The oldest mark under {@code directory}, or empty when there is none or one does not check (then nobody
   * knows how far the journal is durable).
   */
  static OptionalLong oldest(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return OptionalLong.empty();
    }
    long oldest = Long.MAX_VALUE;
    try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory, PREFIX + "*")) {
      for (Path mark : marks) {
        OptionalLong millis = read(mark);
        if (millis.isEmpty()) {
          return OptionalLong.empty();
        }
        oldest = Math.min(oldest, millis.getAsLong());
      }
    }
    return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
  }

  /**
   * Replaces every mark by one per instance in {@code 0..instances-1}, each at {@code millis}: after start-up made
   * the whole journal durable, no instance has committed anything yet. An instance that then never writes its own
   * mark keeps start-up reading from this moment on.
   */
  static void reset(Path directory, int instances, long millis) throws IOException {
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory, PREFIX + "*")) {
        for (Path mark : marks) {
          Files.delete(mark);
        }
      }
    }
    for (int i = 0; i < instances; i++) {
      try (JournalMark mark = open(directory, i)) {
        mark.write(millis);
      }
    }
  }

  private static OptionalLong read(Path mark) throws IOException {
    if (!PrivateFiles.isRegularFile(mark)) {
      return OptionalLong.empty();
    }
    try (FileChannel channel = PrivateFiles.open(mark, StandardOpenOption.READ)) {
      ByteBuffer bytes = ByteBuffer.allocate(BYTES);
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // read the whole record
      }
      if (bytes.hasRemaining()) {
        return OptionalLong.empty();
      }
      long millis = bytes.getLong(0);
      return bytes.getLong(8) == ~millis ? OptionalLong.of(millis) : OptionalLong.empty();
    }
  }

  private static Path file(Path directory, int instance) {
    return directory.resolve(PREFIX + instance);
  }
}
