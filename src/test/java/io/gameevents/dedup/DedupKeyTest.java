package io.gameevents.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedupKeyTest {

  // Reference digests from Guava's Hashing.murmur3_128() (seed 0), an independent implementation,
  // read back as two little-endian longs. The inputs cover every tail length class: 0, 1..8, 9..15,
  // exactly one block, block + tail.
  @Test
  void digestMatchesMurmur3ReferenceVectors() {
    assertDigest("a", 0x85555565f6597889L, 0xe6b53a48510e895aL);
    assertDigest("hello", 0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
    assertDigest("0123456789abcde", 0xa62dd5f6c0bf2351L, 0x4fccf50c7c544cf0L);
    assertDigest("0123456789abcdef", 0x4be06d94cf4ad1a7L, 0x87c35b5c63a708daL);
    assertDigest("0123456789abcdef0", 0xeb24ae8785a5c075L, 0x73fb68b3313128caL);
    assertDigest("0123456789abcdef012345678", 0x4e6d2c6e4f22f2a7L, 0xab267964dd3cef7eL);
    assertDigest("The quick brown fox jumps over the lazy dog",
        0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
  }

  @Test
  void keyIsDigestOfAppIdZeroByteEventId() {
    assertThat(DedupKey.of("app-1", "evt-1"))
        .isEqualTo(new DedupKey(0xec01dea5b366c3edL, 0x159c3fe12edfdb75L));
  }

  @Test
  void nonAsciiAppIdsHashTheirUtf8Bytes() {
    assertThat(DedupKey.of("m\u00fcnchen-\u65e5\u672c", "e:1"))
        .isEqualTo(new DedupKey(0x6e53a76375fb7bb9L, 0x2bcea5d688bac995L));
    assertThat(DedupKey.of("\uD83C\uDFAE-app", "x")) // a surrogate pair: 4 UTF-8 bytes
        .isEqualTo(new DedupKey(0x41a65bc477438cfaL, 0xa0d3f8bd55800873L));
    assertThat(DedupKey.of("caf\u00e9", "e1")).isNotEqualTo(DedupKey.of("cafe", "e1"));
  }

  @Test
  void encodingMatchesJdkUtf8IncludingLoneSurrogates() {
    Random random = new Random(42);
    byte[] out = new byte[3 * 40];
    for (int n = 0; n < 10_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        // Mostly ASCII, then 2-byte, 3-byte, and surrogates (paired or not).
        switch (random.nextInt(5)) {
          case 0 -> s.append((char) (0xD800 + random.nextInt(0x800)));
          case 1 -> s.append((char) (0x80 + random.nextInt(0x780)));
          case 2 -> s.append((char) (0x800 + random.nextInt(0xD000)));
          default -> s.append((char) random.nextInt(0x80));
        }
      }
      String text = s.toString();
      int end = DedupKey.encodeUtf8(text, out, 0);
      byte[] expected = text.getBytes(StandardCharsets.UTF_8);
      assertThat(java.util.Arrays.copyOf(out, end)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void idsLongerThanTheCachedBufferHashLikeTheirBytes() {
    String appId = "\u00e4".repeat(3000); // 6000 UTF-8 bytes, over the 4 KiB thread buffer
    String eventId = "e".repeat(5000);
    byte[] bytes = (appId + "\u0000" + eventId).getBytes(StandardCharsets.UTF_8);
    assertThat(DedupKey.of(appId, eventId)).isEqualTo(DedupKey.digest(bytes, bytes.length));
    // and the short path still works after a long one
    assertThat(DedupKey.of("app-1", "evt-1"))
        .isEqualTo(new DedupKey(0xec01dea5b366c3edL, 0x159c3fe12edfdb75L));
  }

  @Test
  void sameEventIdInDifferentAppsDiffers() {
    assertThat(DedupKey.of("app-1", "evt-1")).isNotEqualTo(DedupKey.of("app-2", "evt-1"));
    assertThat(DedupKey.of("app-1", "evt-1")).isEqualTo(DedupKey.of("app-1", "evt-1"));
  }

  @Test
  void separatorKeepsSplitPointsApart() {
    assertThat(DedupKey.of("ab", "c")).isNotEqualTo(DedupKey.of("a", "bc"));
    assertThat(DedupKey.of("", "abc")).isNotEqualTo(DedupKey.of("abc", ""));
  }

  @Test
  void zeroDigestIsRemappedAwayFromTheEmptySlotMarker() {
    // MurmurHash3 of no bytes with seed 0 is exactly (0, 0).
    assertThat(DedupKey.digest(new byte[0], 0))
        .isEqualTo(new DedupKey(0, DedupKey.ZERO_REMAP_LO));
    assertThat(new DedupKey(0, 0).lo()).isEqualTo(DedupKey.ZERO_REMAP_LO);
  }

  @Test
  void partitionsSpreadEvenly() {
    int[] counts = new int[4];
    Set<DedupKey> distinct = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      DedupKey key = DedupKey.of("app-" + (i % 7), "evt-" + i);
      distinct.add(key);
      counts[key.partition(4)]++;
    }
    assertThat(distinct).hasSize(100_000);
    // Expected 25,000 each, binomial sd ~137: a 5% band only fails on a real skew.
    for (int count : counts) {
      assertThat(count).isBetween(23_750, 26_250);
    }
  }

  @Test
  void partitionStaysInRangeForExtremeHashes() {
    for (long hi : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      DedupKey key = new DedupKey(hi, 7);
      for (int n : new int[] {1, 3, 4, 64, Integer.MAX_VALUE}) {
        assertThat(key.partition(n)).isBetween(0, n - 1);
      }
    }
    assertThat(new DedupKey(-1, 7).partition(4)).isEqualTo(3);
    assertThat(new DedupKey(0, 7).partition(4)).isEqualTo(0);
    assertThatThrownBy(() -> new DedupKey(1, 1).partition(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertDigest(String input, long hi, long lo) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    assertThat(DedupKey.digest(bytes, bytes.length)).as(input).isEqualTo(new DedupKey(hi, lo));
  }
}
