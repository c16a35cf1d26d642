package io.gameevents.dedup.storage;

import io.gameevents.config.HashKey;
import io.gameevents.util.SipHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupKeyTest {

  private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final DedupHasher HASHER = new DedupHasher(new HashKey(KEY));

  @Test
  void keyIsSipHashOfAppIdZeroByteEventIdUnderTheKey() {
    assertThat(HASHER.key("app-1", "evt-1")).isEqualTo(sipHash("app-1\u0000evt-1"));
    assertThat(HASHER.key("m\u00fcnchen-\u65e5\u672c", "e:1")).isEqualTo(sipHash("m\u00fcnchen-\u65e5\u672c\u0000e:1"));
    assertThat(HASHER.key("\uD83C\uDFAE-app", "x")).isEqualTo(sipHash("\uD83C\uDFAE-app\u0000x"));
    assertThat(HASHER.key("caf\u00e9", "e1")).isNotEqualTo(HASHER.key("cafe", "e1"));
  }

  @Test
  void anotherKeyGivesAnotherIdentity() {
    byte[] other = KEY.clone();
    other[15] ^= 1;
    assertThat(new DedupHasher(new HashKey(other)).key("app-1", "evt-1")).isNotEqualTo(HASHER.key("app-1", "evt-1"));
  }

  @Test
  void theCraftedIdsNoLongerCollide() {
    assertThat(HASHER.key(CraftedCollision.ATTACKER_APP, CraftedCollision.ATTACKER_EVENT_ID))
        .isNotEqualTo(HASHER.key(CraftedCollision.VICTIM_APP, CraftedCollision.VICTIM_EVENT_ID));
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
    assertThat(HASHER.key(appId, eventId)).isEqualTo(sipHash(appId + "\u0000" + eventId));
    // and the short path still works after a long one
    assertThat(HASHER.key("app-1", "evt-1")).isEqualTo(sipHash("app-1\u0000evt-1"));
  }

  @Test
  void sameEventIdInDifferentAppsDiffers() {
    assertThat(HASHER.key("app-1", "evt-1")).isNotEqualTo(HASHER.key("app-2", "evt-1"));
    assertThat(HASHER.key("app-1", "evt-1")).isEqualTo(HASHER.key("app-1", "evt-1"));
  }

  @Test
  void separatorKeepsSplitPointsApart() {
    assertThat(HASHER.key("ab", "c")).isNotEqualTo(HASHER.key("a", "bc"));
    assertThat(HASHER.key("", "abc")).isNotEqualTo(HASHER.key("abc", ""));
  }

  @Test
  void zeroDigestIsRemappedAwayFromTheEmptySlotMarker() {
    assertThat(new DedupKey(0, 0)).isEqualTo(new DedupKey(0, DedupKey.ZERO_REMAP_LO));
    assertThat(DedupKey.of("a", "b", (data, length) -> new DedupKey(0, 0)).lo()).isEqualTo(DedupKey.ZERO_REMAP_LO);
  }

  @Test
  void partitionsSpreadEvenly() {
    int[] counts = new int[4];
    Set<DedupKey> distinct = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      DedupKey key = HASHER.key("app-" + (i % 7), "evt-" + i);
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

  @Test
  void theFingerprintNamesTheKeyWithoutRevealingIt() {
    assertThat(HASHER.fingerprint()).matches("[0-9a-f]{32}").isEqualTo(new HashKey(KEY).fingerprint())
        .doesNotContain(HexFormat.of().formatHex(KEY));
    assertThat(new HashKey(new byte[16]).fingerprint()).isNotEqualTo(HASHER.fingerprint());
  }

  private static DedupKey sipHash(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    return new SipHash(KEY).hash128(bytes, bytes.length, DedupKey::new);
  }
}
