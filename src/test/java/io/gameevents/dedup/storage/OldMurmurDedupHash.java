package io.gameevents.dedup.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Test scope only: the dedup identity before it was keyed, MurmurHash3 x64 128 with seed 0 over
 * (app_id, 0, event_id), as DedupKey computed it. Kept to prove that {@link CraftedCollision}'s ids do
 * collide under it, and to measure the keyed hash against it (DedupKeyHashBenchmark).
 */
public final class OldMurmurDedupHash {

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private OldMurmurDedupHash() {
  }

  public static DedupKey of(String appId, String eventId) {
    return DedupKey.of(appId, eventId, OldMurmurDedupHash::digest);
  }

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
