package io.gameevents.dedup.ownership;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.config.ClusterSecret;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Owner entries as the map stores them: one format, one parse, and nothing without the cluster's proof. */
class OwnerEntryTest {

  private static final ClusterKey KEY = ClusterKey.derive(ClusterSecret.of("owner-entry-test-secret-0123456789abcdef"));
  private static final ClusterKey OTHER = ClusterKey.derive(ClusterSecret.of("another-clusters-secret-0123456789abcd"));
  private static final String NODE = "3f1e9b2c-6a4d-4e7f-9c1b-2d8e5f6a7b90";

  @Property(tries = 500)
  void formatThenParseGivesTheEntryBack(@ForAll("entries") OwnerEntry entry, @ForAll @IntRange(max = 4095) int partition) {
    assertThat(OwnerEntry.parse(partition, entry.format(partition, KEY), KEY)).isEqualTo(entry);
  }

  /** Any one character changed (owner, kind, token, proof, separators): not an entry. */
  @Property(tries = 500)
  void aTamperedEntryIsRefused(@ForAll("entries") OwnerEntry entry, @ForAll @IntRange(max = 4095) int partition,
                               @ForAll @IntRange(max = 10_000) int where, @ForAll @IntRange(min = 1, max = 0xFFFF) int delta) {
    String stored = entry.format(partition, KEY);
    int at = where % stored.length();
    char changed = (char) ((stored.charAt(at) + delta) % 0x10000);
    String tampered = stored.substring(0, at) + changed + stored.substring(at + 1);
    assertThat(OwnerEntry.parse(partition, tampered, KEY)).isNull();
  }

  @Property(tries = 200)
  void anEntryOfAnotherPartitionOrUnderAnotherSecretIsRefused(@ForAll("entries") OwnerEntry entry,
                                                             @ForAll @IntRange(max = 4094) int partition) {
    assertThat(OwnerEntry.parse(partition + 1, entry.format(partition, KEY), KEY)).isNull();
    assertThat(OwnerEntry.parse(partition, entry.format(partition, OTHER), KEY)).isNull();
  }

  @Property(tries = 1000)
  void anyOtherValueIsNoEntry(@ForAll String garbage, @ForAll @IntRange(max = 63) int partition) {
    assertThat(OwnerEntry.parse(partition, garbage, KEY)).isNull();
  }

  @Test
  void valuesThatAreNotOursAreNoEntry() {
    assertThat(OwnerEntry.parse(0, null, KEY)).isNull();
    assertThat(OwnerEntry.parse(0, 42, KEY)).isNull();
    assertThat(OwnerEntry.parse(0, NODE + "#0", KEY)).as("the format before proofs").isNull();
    assertThat(OwnerEntry.parse(0, "released-by:" + NODE + "#0@token", KEY)).isNull();
    assertThat(OwnerEntry.parse(0, "v1;owns;" + NODE + "#0;;" + "A".repeat(600), KEY)).isNull();
    assertThat(OwnerEntry.claimedNode("v1;owns;" + NODE + "#0;;forged")).isEqualTo(NODE);
    assertThat(OwnerEntry.claimedNode("v1;owns;not an owner;;forged")).isNull();
  }

  @Test
  void theEntryNamesItsNodeAndToken() {
    OwnerEntry released = OwnerEntry.released(NODE + "#2", "c0ffee-1");
    assertThat(released.node()).isEqualTo(NODE);
    assertThat(released.isReleased()).isTrue();
    assertThat(released.servedBy(NODE + "#2")).isFalse();
    assertThat(OwnerEntry.owns(NODE + "#2").servedBy(NODE + "#2")).isTrue();
    assertThatThrownBy(() -> OwnerEntry.owns("no-instance")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OwnerEntry.released(NODE + "#0", "a;b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<OwnerEntry> entries() {
    Arbitrary<String> nodes = Arbitraries.oneOf(Arbitraries.create(() -> java.util.UUID.randomUUID().toString()),
        Arbitraries.strings().withChars("abcxyz0189.-_:").ofMinLength(1).ofMaxLength(40));
    Arbitrary<String> owners = Combinators.combine(nodes, Arbitraries.integers().between(0, 63))
        .as((node, instance) -> node + "#" + instance);
    Arbitrary<String> tokens = Arbitraries.strings().withChars("abcdef0123456789-").ofMinLength(1).ofMaxLength(64);
    return Combinators.combine(owners, tokens.injectNull(0.5)).as(OwnerEntry::new);
  }
}
