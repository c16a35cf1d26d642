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

  /** The body has more gzip members than {@link #MAX_MEMBERS}. */
  public static final class TooManyMembersException extends Exception {
    TooManyMembersException() {
      super(null, null, false, false);
    }
  }

  /**
   * Gzip members one body may have. A client's gzip library writes one; concatenated streams are legal (RFC 1952),
   * and a client that compresses each event of a batch (500 at most by default) still fits. Each member costs an
   * inflater reset and a header parse (~0.25 µs), so this many cost a fraction of inflating a normal 1 MiB body,
   * while 1 MiB of empty 20-byte members (~52,000) would not (bench/HISTORY.md, "Gzip members").
   */
  public static final int MAX_MEMBERS = 1024;

  private static final int TRAILER_BYTES = 8; // CRC32 + size
  private static final int CHUNK_BYTES = 16 * 1024;

  private Gzip() {
  }

  /**
   * Inflates gzip (at most {@link #MAX_MEMBERS} members) or zlib data, failing as soon as the output passes
   * {@code maxBytes}.
   */
  public static byte[] inflate(byte[] input, boolean gzip, int maxBytes)
      throws DataFormatException, ZipException, TooLargeException, TooManyMembersException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, input.length * 4)));
    // one inflater for every member: each new one allocates native zlib state, freed only by end()
    Inflater inflater = new Inflater(gzip);
    byte[] chunk = new byte[CHUNK_BYTES];
    try {
      int offset = 0;
      int members = 0;
      do {
        if (++members > MAX_MEMBERS) {
          throw new TooManyMembersException();
        }
        offset = inflateOne(inflater, chunk, input, offset, gzip, out, maxBytes);
      } while (gzip && startsMember(input, offset));
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }

  /**
   * How many leading bytes of {@code input} are complete gzip members (a torn last member is not counted). No member
   * limit: this reads the service's own sink files, which hold a member per batch.
   */
  public static int completeMembersLength(byte[] input) {
    Inflater inflater = new Inflater(true);
    byte[] chunk = new byte[CHUNK_BYTES];
    int complete = 0;
    try {
      while (startsMember(input, complete)) {
        int next = inflateOne(inflater, chunk, input, complete, true, null, Integer.MAX_VALUE);
        if (next > input.length) {
          break; // trailer cut off
        }
        complete = next;
      }
    } catch (DataFormatException | ZipException | TooLargeException torn) {
      // the member from `complete` on is torn: everything before it stands
    } finally {
      inflater.end();
    }
    return complete;
  }

  /**
   * Inflates one member (or the zlib stream) from {@code offset} with {@code inflater}, reset first; returns the
   * offset just after it.
   */
  private static int inflateOne(Inflater inflater, byte[] chunk, byte[] input, int offset, boolean gzip,
      ByteArrayOutputStream out, int maxBytes) throws DataFormatException, ZipException, TooLargeException {
    int dataStart = gzip ? skipHeader(input, offset) : offset;
    inflater.reset();
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
