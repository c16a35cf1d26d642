package io.gameevents.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharTypes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON written as bytes by the caller, token by token, for what is written once per event (the warehouse record, the
 * answers): Jackson's generator spends more on a few short strings (its per-value checks, its own buffer and a copy
 * out of it) than on everything else in them. The caller writes the structure (names as pre-encoded bytes, commas,
 * braces); text that is plain ASCII is escaped here with Jackson's own escapes, and everything else (other text,
 * trees) is written by a generator of the given factory into the same bytes, so the output is to the byte what that
 * generator alone would write.
 */
public final class JsonBytes extends OutputStream {

  /** Jackson's escapes for ASCII: 0 as is, -1 a six-character escape, else the letter after a backslash. */
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] LONG_MIN = ascii(Long.toString(Long.MIN_VALUE));

  private final JsonFactory factory;
  private byte[] buffer;
  private int size;
  /** Created on first need; writes root values with nothing between them, flushed after each. */
  private JsonGenerator generator;

  /** @param factory the generator's, for what is not written here: its settings must escape as Jackson's defaults */
  public JsonBytes(JsonFactory factory, int capacity) {
    this.factory = factory;
    this.buffer = new byte[capacity];
  }

  /** Pre-encoded structure: {@code ascii(",\"status\":")}. */
  public static byte[] ascii(String token) {
    return token.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void write(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  /** {@code value} as a JSON string, or {@code null}. */
  public void text(String value) throws IOException {
    if (value == null) {
      write(NULL);
    } else if (!quotedAscii(value)) {
      generator().writeString(value);
      flushGenerator();
    }
  }

  public void bool(boolean value) {
    write(value ? TRUE : FALSE);
  }

  public void nullValue() {
    write(NULL);
  }

  /** {@code value} in decimal, as Long.toString and Jackson write it. */
  public void decimal(long value) {
    if (value == Long.MIN_VALUE) {
      write(LONG_MIN);
      return;
    }
    ensure(20);
    if (value < 0) {
      buffer[size++] = '-';
      value = -value;
    }
    int end = size + digitCount(value);
    for (int at = end - 1; at >= size; at--) {
      buffer[at] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size = end;
  }

  /**
   * The generator for a value written by Jackson at this point, such as a tree: call {@link #flushGenerator} after
   * the value, before writing anything else here.
   */
  public JsonGenerator generator() throws IOException {
    if (generator == null) {
      generator = factory.createGenerator(this);
      generator.setRootValueSeparator(null);
    }
    return generator;
  }

  public void flushGenerator() throws IOException {
    generator.flush();
  }

  /** After a value failed half-way: the generator's state is unknown, the next value gets a new one. */
  public void dropGenerator() {
    generator = null;
  }

  public int size() {
    return size;
  }

  /** The bytes written so far are this array's first {@link #size()}; valid until the next write. */
  public byte[] array() {
    return buffer;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** Empty again; a buffer grown past {@code maxKept} is replaced by one of {@code capacity}. */
  public void reset(int maxKept, int capacity) {
    size = 0;
    if (buffer.length > maxKept) {
      buffer = new byte[capacity];
    }
  }

  /**
   * {@code value} quoted, when every character is ASCII and Jackson escapes it, if at all, with a backslash and a
   * letter. Otherwise false, with nothing written.
   */
  private boolean quotedAscii(String value) {
    int length = value.length();
    ensure(2 * length + 2);
    byte[] bytes = buffer;
    int at = size;
    bytes[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 128) {
        return false;
      }
      int escape = ESCAPES[c];
      if (escape == 0) {
        bytes[at++] = (byte) c;
      } else if (escape > 0) {
        bytes[at++] = '\\';
        bytes[at++] = (byte) escape;
      } else {
        return false;
      }
    }
    bytes[at++] = '"';
    size = at;
    return true;
  }

  private static int digitCount(long positive) {
    int count = 1;
    for (long bound = 10; count < 19 && positive >= bound; bound *= 10) {
      count++;
    }
    return count;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
