package io.gameevents.util;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Gzip and zlib inflation with a hard output limit, and gzip member boundaries. Used for request
 * bodies (a gzip bomb stops at the limit) and for recovering gzip sink files after a crash.
 */
public final class Gzip {

  /** The output would pass the limit. */
  public static final class TooLargeException extends Exception {
    TooLargeException() {
      super(null, null, false, false);
    }
  }

  private static final int TRAILER_BYTES = 8; // CRC32 + size

  private Gzip() {
  }

  /** Inflates gzip (one or more members) or zlib data, failing as soon as the output passes {@code maxBytes}. */
  public static byte[] inflate(byte[] input, boolean gzip, int maxBytes)
      throws DataFormatException, ZipException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, input.length * 4)));
    int offset = 0;
    do {
      offset = inflateOne(input, offset, gzip, out, maxBytes);
    } while (gzip && startsMember(input, offset));
    return out.toByteArray();
  }

  /** How many leading bytes of {@code input} are complete gzip members (a torn last member is not counted). */
  public static int completeMembersLength(byte[] input) {
    int complete = 0;
    while (startsMember(input, complete)) {
      try {
        int next = inflateOne(input, complete, true, null, Integer.MAX_VALUE);
        if (next > input.length) {
          break; // trailer cut off
        }
        complete = next;
      } catch (DataFormatException | ZipException | TooLargeException torn) {
        break;
      }
    }
    return complete;
  }

  /** Inflates one member (or the zlib stream) from {@code offset}; returns the offset just after it. */
  private static int inflateOne(byte[] input, int offset, boolean gzip, ByteArrayOutputStream out, int maxBytes)
      throws DataFormatException, ZipException, TooLargeException {
    int dataStart = gzip ? skipHeader(input, offset) : offset;
    Inflater inflater = new Inflater(gzip);
    byte[] chunk = new byte[16 * 1024];
    try {
      inflater.setInput(input, dataStart, input.length - dataStart);
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated stream");
        }
        if (out != null) {
          if (out.size() + n > maxBytes) {
            throw new TooLargeException();
          }
          out.write(chunk, 0, n);
        }
      }
      return input.length - inflater.getRemaining() + (gzip ? TRAILER_BYTES : 0);
    } finally {
      inflater.end();
    }
  }

  /** Whether {@code input} starts with the gzip magic bytes 1f 8b (JSON text never does). */
  public static boolean looksGzipped(byte[] input) {
    return startsMember(input, 0);
  }

  private static boolean startsMember(byte[] input, int offset) {
    return offset + 1 < input.length && input[offset] == (byte) 0x1f && input[offset + 1] == (byte) 0x8b;
  }

  /** Returns the offset of the deflate data after a gzip member header (RFC 1952). */
  private static int skipHeader(byte[] in, int offset) throws ZipException {
    if (in.length - offset < 10 || !startsMember(in, offset) || in[offset + 2] != 8) {
      throw new ZipException("not gzip");
    }
    int flags = in[offset + 3] & 0xff;
    int pos = offset + 10;
    if ((flags & 4) != 0) { // FEXTRA
      if (pos + 2 > in.length) {
        throw new ZipException("truncated header");
      }
      pos += 2 + ((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8);
    }
    if ((flags & 8) != 0) { // FNAME
      pos = skipZeroTerminated(in, pos);
    }
    if ((flags & 16) != 0) { // FCOMMENT
      pos = skipZeroTerminated(in, pos);
    }
    if ((flags & 2) != 0) { // FHCRC
      pos += 2;
    }
    if (pos > in.length) {
      throw new ZipException("truncated header");
    }
    return pos;
  }

  private static int skipZeroTerminated(byte[] in, int pos) throws ZipException {
    while (pos < in.length && in[pos] != 0) {
      pos++;
    }
    if (pos >= in.length) {
      throw new ZipException("truncated header");
    }
    return pos + 1;
  }
}
