package io.gameevents.forward;

import io.gameevents.util.PrivateFiles;
import io.gameevents.delivery.SinkLimits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a closed spool segment from its checkpoint on, one sink call's worth of records at a time
 * (as many whole lines as the sink's limits take). Blocking: call it on a worker.
 */
final class SegmentReader implements AutoCloseable {

  /** Never hold more than this of one segment in memory, whatever a sink's byte limit says. */
  private static final int MAX_WINDOW = 8 << 20;

  /** Records of one call and the byte range of the segment they came from. */
  record Chunk(List<byte[]> records, long start, long end) {
    long bytes() {
      return end - start;
    }
  }

  private final FileChannel channel;
  private final long size;
  private long position;

  private SegmentReader(FileChannel channel, long size, long position) {
    this.channel = channel;
    this.size = size;
    this.position = position;
  }

  static SegmentReader open(Path segment, long from) throws IOException {
    FileChannel channel = PrivateFiles.open(segment, StandardOpenOption.READ);
    return new SegmentReader(channel, channel.size(), Math.min(from, channel.size()));
  }

  long size() {
    return size;
  }

  /** The next records, or an empty chunk at the end of the segment. */
  Chunk next(SinkLimits limits) throws IOException {
    long start = position;
    int window = (int) Math.min(Math.min(limits.maxBatchBytes(), MAX_WINDOW), size - position);
    List<byte[]> records = new ArrayList<>();
    if (window <= 0) {
      return new Chunk(records, start, start);
    }
    ByteBuffer bytes = read(position, window);
    int lineStart = 0;
    long taken = 0;
    for (int i = 0; i < bytes.limit() && records.size() < limits.maxRecords(); i++) {
      if (bytes.get(i) != '\n') {
        continue;
      }
      int length = i - lineStart;
      if (!records.isEmpty() && taken + length + 1 > limits.maxBatchBytes()) {
        break;
      }
      records.add(Arrays.copyOfRange(bytes.array(), lineStart, i));
      taken += length + 1;
      lineStart = i + 1;
    }
    if (records.isEmpty()) {
      // one line longer than the window: the sink refuses such records anyway, read it whole
      return longLine(start);
    }
    position = start + taken;
    return new Chunk(records, start, position);
  }

  private Chunk longLine(long start) throws IOException {
    long end = start;
    ByteBuffer one = ByteBuffer.allocate(64 * 1024);
    while (end < size) {
      one.clear();
      int read = channel.read(one, end);
      for (int i = 0; i < read; i++) {
        if (one.get(i) == '\n') {
          int length = (int) (end + i - start);
          byte[] record = read(start, length).array();
          position = start + length + 1;
          return new Chunk(List.of(record), start, position);
        }
      }
      end += read;
    }
    position = size; // a last line without '\n' can't be: published segments end with a whole record
    return new Chunk(List.of(), start, size);
  }

  private ByteBuffer read(long from, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, from + buffer.position()) < 0) {
        break;
      }
    }
    buffer.flip();
    return buffer;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
