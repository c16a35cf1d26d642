package io.gameevents.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 with its 128-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF", and the
 * 128-bit variant of their reference implementation): a keyed hash whose outputs an attacker who does not
 * know the key can neither predict nor steer, unlike MurmurHash3, whose every step inverts. Fast on short
 * inputs such as an (app_id, event_id) pair. Immutable and thread-safe.
 */
public final class SipHash {

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long k0;
  private final long k1;

  /** @param key 16 bytes; k0 and k1 are its halves read little-endian, as the reference does */
  public SipHash(byte[] key) {
    if (key.length != 16) {
      throw new IllegalArgumentException("a SipHash key has 16 bytes, not " + key.length);
    }
    this.k0 = (long) LONG_LE.get(key, 0);
    this.k1 = (long) LONG_LE.get(key, 8);
  }

  /** The two output words of SipHash-2-4-128 over {@code data[0, length)}, as {@link Sink#accept} gets them. */
  public <T> T hash128(byte[] data, int length, Sink<T> sink) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xee; // 0xee: the 128-bit output variant
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int end = length & ~7;
    for (int i = 0; i < end; i += 8) {
      long m = (long) LONG_LE.get(data, i);
      v3 ^= m;
      for (int round = 0; round < 2; round++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    long last = (long) length << 56;
    for (int j = length - end - 1; j >= 0; j--) {
      last |= (data[end + j] & 0xFFL) << (8 * j);
    }
    v3 ^= last;
    for (int round = 0; round < 2; round++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    v0 ^= last;
    v2 ^= 0xee;
    for (int round = 0; round < 4; round++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    long first = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xdd;
    for (int round = 0; round < 4; round++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return sink.accept(first, v0 ^ v1 ^ v2 ^ v3);
  }

  /** The 16 output bytes as the reference implementation writes them: each word little-endian, first word first. */
  public byte[] hash128(byte[] data) {
    return hash128(data, data.length, (first, second) -> {
      byte[] out = new byte[16];
      LONG_LE.set(out, 0, first);
      LONG_LE.set(out, 8, second);
      return out;
    });
  }

  /** Takes the two 64-bit output words without an array in between (the dedup key's hot path). */
  @FunctionalInterface
  public interface Sink<T> {
    T accept(long first, long second);
  }
}
