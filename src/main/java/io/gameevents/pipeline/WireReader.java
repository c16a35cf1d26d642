package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;

/**
 * Reads a codec's binary form from a received buffer, checking every count and length against its limit
 * and against the bytes actually left BEFORE allocating for it: a forged count of 2^31-1 costs nothing.
 */
final class WireReader {

  private final Buffer buffer;
  private final int end;
  private int pos;

  WireReader(Buffer buffer, int pos) {
    this.buffer = buffer;
    this.end = buffer.length();
    if (pos < 0 || pos > end) {
      throw new WireFormatException("message body starts at " + pos + " of a " + end + "-byte buffer");
    }
    this.pos = pos;
  }

  /** A count in [0, max] whose items, at least {@code minItemBytes} each, fit in what is left. */
  int count(int max, int minItemBytes, String what) {
    int count = readInt(what);
    if (count < 0 || count > max) {
      throw new WireFormatException(what + ": count " + count + " outside [0, " + max + "]");
    }
    ensure((long) count * minItemBytes, what);
    return count;
  }

  /** A length-prefixed byte string of at most {@code max} bytes. */
  byte[] bytes(int max, String what) {
    int length = readInt(what);
    if (length < 0 || length > max) {
      throw new WireFormatException(what + ": length " + length + " outside [0, " + max + "]");
    }
    ensure(length, what);
    byte[] bytes = buffer.getBytes(pos, pos + length);
    pos += length;
    return bytes;
  }

  byte readByte(String what) {
    ensure(1, what);
    return buffer.getByte(pos++);
  }

  private int readInt(String what) {
    ensure(4, what);
    int value = buffer.getInt(pos);
    pos += 4;
    return value;
  }

  private void ensure(long bytes, String what) {
    if (bytes > end - pos) {
      throw new WireFormatException(what + ": needs " + bytes + " bytes, " + (end - pos) + " left in the message");
    }
  }
}
