package io.gameevents.dedup.storage;

/**
 * The 128-bit identity of an event for deduplication: SipHash-2-4-128 under the dedup key
 * ({@link DedupHasher}) over the UTF-8 bytes of {@code appId}, one 0 byte, and the UTF-8 bytes of
 * {@code eventId}. {@code hi} is the first output word, {@code lo} the second. Keyed, so nobody
 * without the key can choose an event id whose identity (or partition) equals another app's.
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

  public DedupKey {
    if (hi == 0 && lo == 0) {
      lo = ZERO_REMAP_LO;
    }
  }

  /**
   * Encodes {@code appId}, a 0 byte and {@code eventId} as UTF-8 into the thread's buffer (a throwaway one for
   * very long ids) and hands it to {@code digest}: allocates nothing on the usual path.
   */
  static DedupKey of(String appId, String eventId, Digest digest) {
    // UTF-8 needs at most 3 bytes per char (a surrogate pair takes 4 bytes for 2 chars).
    long worstCase = 3L * appId.length() + 1 + 3L * eventId.length();
    if (worstCase > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("id too long to hash");
    }
    byte[] buffer = bufferFor((int) worstCase);
    int length = encodeUtf8(appId, buffer, 0);
    buffer[length++] = 0;
    length = encodeUtf8(eventId, buffer, length);
    return digest.of(buffer, length);
  }

  /** A 128-bit digest of {@code data[0, length)}. */
  @FunctionalInterface
  interface Digest {
    DedupKey of(byte[] data, int length);
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
}
