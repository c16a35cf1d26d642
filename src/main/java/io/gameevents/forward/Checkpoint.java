package io.gameevents.forward;

import io.gameevents.util.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How far a spool segment is forwarded: the byte offset just past the last record the remote sink
 * confirmed, in a hidden file beside the segment ({@code .<segment>.checkpoint}), fsynced after each
 * confirmed call. One 8-byte write at offset 0, which a crash leaves either old or new. A lost or
 * missing checkpoint only means records are sent again: at-least-once, never lost.
 */
final class Checkpoint implements AutoCloseable {

  static final String SUFFIX = ".checkpoint";

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);

  private Checkpoint(FileChannel channel) {
    this.channel = channel;
  }

  static Path fileOf(Path segment) {
    return segment.resolveSibling("." + segment.getFileName() + SUFFIX);
  }

  static Path segmentOf(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    return checkpoint.resolveSibling(name.substring(1, name.length() - SUFFIX.length()));
  }

  /** The confirmed offset of a segment; 0 when it has no checkpoint yet. */
  static long read(Path segment) throws IOException {
    try (FileChannel file = PrivateFiles.open(fileOf(segment), StandardOpenOption.READ)) {
      ByteBuffer offset = ByteBuffer.allocate(Long.BYTES);
      while (offset.hasRemaining() && file.read(offset) >= 0) {
        // a short file (never fsynced whole) reads as 0 below
      }
      return offset.hasRemaining() ? 0 : Math.max(0, offset.flip().getLong());
    } catch (NoSuchFileException none) {
      return 0;
    }
  }

  static Checkpoint open(Path segment) throws IOException {
    return new Checkpoint(PrivateFiles.open(fileOf(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
  }

  /** Blocking: records up to {@code offset} are confirmed; durable once this returns. */
  void save(long offset) throws IOException {
    buffer.clear();
    buffer.putLong(offset).flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer, buffer.position());
    }
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Blocking: the segment is fully forwarded. The segment goes first: a crash between leaves a stray checkpoint, not a re-send. */
  static void deleteSegment(Path segment) throws IOException {
    Files.deleteIfExists(segment);
    Files.deleteIfExists(fileOf(segment));
  }
}
