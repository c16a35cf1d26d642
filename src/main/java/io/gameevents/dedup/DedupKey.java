package io.gameevents.dedup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 128-bit identity of an event for deduplication: MurmurHash3 x64 128 (seed 0) over the UTF-8
 * bytes of {@code appId}, one 0 byte, and the UTF-8 bytes of {@code eventId}. {@code hi} is the
 * first 64-bit half of the digest (h1), {@code lo} the second (h2); in byte order that is the
 * digest other MurmurHash3 implementations print.
 *
 * <p>The 0 separator keeps ("ab", "c") and ("a", "bc") apart. A 0 char inside an app id could
 * still forge a collision; the event schemas rule that out (app_id and event_id allow only
 * [A-Za-z0-9._:-]), and a studio's own schemas must keep the common definitions of both.
 *
 * <p>(0, 0) marks an empty slot in {@link BucketedDedupStore}, so a digest of (0, 0) is remapped
 * to (0, {@link #ZERO_REMAP_LO}).
 */
public record DedupKey(long hi, long lo) {

  /** {@code lo} given to a key whose digest is (0, 0), the reserved empty-slot marker. */
  static final long ZERO_REMAP_LO = 0x9E3779B97F4A7C15L;

  /** Encoded inputs up to this size reuse the thread's buffer; longer ones get a throwaway one. */
  private static final int MAX_CACHED_BUFFER = 4096;

  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[256]);

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  public DedupKey {
    if (hi == 0 && lo == 0) {
      lo = ZERO_REMAP_LO;
    }
  }

  /** The key of event {@code eventId} of app {@code appId}. Allocates only the record. */
  public static DedupKey of(String appId, String eventId) {
    // UTF-8 needs at most 3 bytes per char (a surrogate pair takes 4 bytes for 2 chars).
    long worstCase = 3L * appId.length() + 1 + 3L * eventId.length();
    if (worstCase > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("id too long to hash");
    }
    byte[] buffer = bufferFor((int) worstCase);
    int length = encodeUtf8(appId, buffer, 0);
    buffer[length++] = 0;
    length = encodeUtf8(eventId, buffer, length);
    return digest(buffer, length);
  }

  /**
   * Which of {@code partitions} dedup instances owns this key: in [0, partitions), uniform when
   * the hash is. Uses the top bits of {@code hi}, which the store's slot index does not rely on.
   */
  public int partition(int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be positive: " + partitions);
    }
    // Lemire's range reduction: (32-bit hash * n) / 2^32, no modulo bias worth the name.
    return (int) (((hi >>> 32) * partitions) >>> 32);
  }

  private static byte[] bufferFor(int size) {
    if (size > MAX_CACHED_BUFFER) {
      return new byte[size];
    }
    byte[] buffer = BUFFER.get();
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, Math.min(MAX_CACHED_BUFFER, buffer.length * 2))];
      BUFFER.set(buffer);
    }
    return buffer;
  }

  /**
   * Writes {@code s} as UTF-8 at {@code offset}, returns the end offset. Unpaired surrogates become
   * '?', exactly as {@code String.getBytes(UTF_8)} does, so both paths hash alike.
   */
  static int encodeUtf8(String s, byte[] out, int offset) {
    int n = s.length();
    int i = 0;
    // Fast path: event ids and most app ids are ASCII.
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      out[offset++] = (byte) c;
      i++;
    }
    while (i < n) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        out[offset++] = (byte) c;
      } else if (c < 0x800) {
        out[offset++] = (byte) (0xC0 | (c >> 6));
        out[offset++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
        int cp = Character.toCodePoint(c, s.charAt(i++));
        out[offset++] = (byte) (0xF0 | (cp >> 18));
        out[offset++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[offset++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[offset++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[offset++] = (byte) '?';
      } else {
        out[offset++] = (byte) (0xE0 | (c >> 12));
        out[offset++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[offset++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return offset;
  }

  /** MurmurHash3 x64 128 with seed 0 over {@code data[0, length)}. */
  static DedupKey digest(byte[] data, int length) {
    long h1 = 0;
    long h2 = 0;
    int blockEnd = length & ~15;
    for (int i = 0; i < blockEnd; i += 16) {
      h1 ^= mixK1((long) LONG_LE.get(data, i));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2((long) LONG_LE.get(data, i + 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }

    long k1 = 0;
    long k2 = 0;
    int tail = length - blockEnd;
    for (int j = tail - 1; j >= 8; j--) {
      k2 = (k2 << 8) | (data[blockEnd + j] & 0xFF);
    }
    for (int j = Math.min(tail, 8) - 1; j >= 0; j--) {
      k1 = (k1 << 8) | (data[blockEnd + j] & 0xFF);
    }
    if (tail > 8) {
      h2 ^= mixK2(k2);
    }
    if (tail > 0) {
      h1 ^= mixK1(k1);
    }

    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    return new DedupKey(h1, h2);
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
