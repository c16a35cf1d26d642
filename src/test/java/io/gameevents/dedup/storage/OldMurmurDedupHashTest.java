package io.gameevents.dedup.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The test copy of the old, unkeyed identity is MurmurHash3, and the crafted ids do collide under it. */
class OldMurmurDedupHashTest {

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
    assertDigest("The quick brown fox jumps over the lazy dog", 0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
    // the old DedupKey's own figure for ("app-1", "evt-1")
    assertThat(OldMurmurDedupHash.of("app-1", "evt-1")).isEqualTo(new DedupKey(0xec01dea5b366c3edL, 0x159c3fe12edfdb75L));
  }

  @Test
  void theCraftedIdsCollideUnderTheOldHash() {
    assertThat(CraftedCollision.ATTACKER_EVENT_ID).matches("[A-Za-z0-9._:-]{1,64}");
    assertThat(CraftedCollision.VICTIM_EVENT_ID).matches("[A-Za-z0-9._:-]{1,64}");
    assertThat(OldMurmurDedupHash.of(CraftedCollision.ATTACKER_APP, CraftedCollision.ATTACKER_EVENT_ID))
        .isEqualTo(OldMurmurDedupHash.of(CraftedCollision.VICTIM_APP, CraftedCollision.VICTIM_EVENT_ID));
  }

  private static void assertDigest(String input, long hi, long lo) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    assertThat(OldMurmurDedupHash.digest(bytes, bytes.length)).as(input).isEqualTo(new DedupKey(hi, lo));
  }
}
