package io.gameevents.dedup.storage;

import ch.qos.logback.classic.Level;
import io.gameevents.config.ConfigException;
import io.gameevents.config.DedupConfig;
import io.gameevents.config.HashKey;
import io.gameevents.support.CapturedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which key a node hashes under, and the journal that was written under another one. */
class DedupIdentityTest {

  private static final String LOGGER = DedupIdentity.class.getName();

  @TempDir
  Path dir;

  @Test
  void aSingleNodeCreatesItsOwnKeyFile0600OnceAndReusesIt() throws Exception {
    HashKey first = DedupIdentity.key(config(null), false);
    Path file = dir.resolve(DedupIdentity.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file).strip()).matches("[0-9a-f]{32}");

    assertThat(DedupIdentity.key(config(null), false)).isEqualTo(first);
    assertThat(first).isNotEqualTo(new HashKey(new byte[16]));
  }

  @Test
  void theConfiguredKeyWinsAndWritesNoFile() throws Exception {
    HashKey configured = new HashKey(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
    assertThat(DedupIdentity.key(config(configured), true)).isEqualTo(configured);
    assertThat(DedupIdentity.key(config(configured), false)).isEqualTo(configured);
    assertThat(dir.resolve(DedupIdentity.KEY_FILE)).doesNotExist();
  }

  @Test
  void aClusterMemberWithoutAKeyIsRefusedNamingTheConfigKey() {
    assertThatThrownBy(() -> DedupIdentity.key(config(null), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key 'dedup.hash_key' is required in a cluster");
  }

  @Test
  void aJournalOfTheUnkeyedVersionIsDroppedWithOneWarning() throws Exception {
    Path slice = oldJournal();
    try (CapturedLog log = CapturedLog.open(Level.INFO, LOGGER)) {
      DedupIdentity.adoptJournal(dir, hasher(1));
      assertThat(slice).doesNotExist();
      assertThat(warnings(log)).singleElement().asString()
          .startsWith("dedup window restarts: the journal in " + dir.toAbsolutePath() + " was written by an older "
              + "version, whose event identity was not keyed; its 1 slice file(s) are dropped");
    }
  }

  @Test
  void aJournalOfAnotherKeyIsDroppedAndOneOfTheSameKeyKept() throws Exception {
    DedupIdentity.adoptJournal(dir, hasher(1));
    Path slice = oldJournal();
    try (CapturedLog log = CapturedLog.open(Level.INFO, LOGGER)) {
      DedupIdentity.adoptJournal(dir, hasher(1));
      assertThat(slice).exists();
      assertThat(warnings(log)).isEmpty();

      DedupIdentity.adoptJournal(dir, hasher(2));
      assertThat(slice).doesNotExist();
      assertThat(warnings(log)).singleElement().asString().contains("was written under another dedup key");
      assertThat(log.text()).doesNotContain(HexFormat.of().formatHex(key(2).bytes()));
    }
  }

  @Test
  void aFreshDirectoryRecordsItsIdentityWithoutWarning() throws Exception {
    try (CapturedLog log = CapturedLog.open(Level.INFO, LOGGER)) {
      DedupIdentity.adoptJournal(dir, hasher(1));
      assertThat(warnings(log)).isEmpty();
    }
    assertThat(Files.readString(dir.resolve(DedupIdentity.IDENTITY_FILE))).contains(hasher(1).fingerprint());
  }

  private Path oldJournal() throws Exception {
    Path partition = Files.createDirectories(dir.resolve("partition-3"));
    return Files.write(partition.resolve("1234" + DedupJournal.SUFFIX), new byte[32]);
  }

  private static List<String> warnings(CapturedLog log) {
    return log.lines().stream().filter(line -> "WARN".equals(line.getString("level")))
        .map(line -> line.getString("message")).toList();
  }

  private static HashKey key(int seed) {
    byte[] bytes = new byte[16];
    bytes[0] = (byte) seed;
    return new HashKey(bytes);
  }

  private static DedupHasher hasher(int seed) {
    return new DedupHasher(key(seed));
  }

  private DedupConfig config(HashKey key) {
    return new DedupConfig(1, 4, 3600, 4, 1000, 10, dir.toString(), 1000, 30_000, key);
  }
}
