package io.gameevents.suppression;

import io.gameevents.privacy.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class SuppressionListTest {

  private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Subject PLAYER = new Subject("com.game.test", Subject.Kind.PLAYER, "player_1");
  private static final Subject DEVICE = new Subject("com.game.test", Subject.Kind.DEVICE, "device-9");

  @TempDir
  Path dir;

  private SuppressionList open() throws Exception {
    return SuppressionList.open(dir, new SubjectDigest(KEY));
  }

  private static SuppressionEntry entry(SuppressionList list, Subject subject, boolean suppressed, long version) {
    return new SuppressionEntry(subject.appId(), subject.kind(), list.digest(subject), suppressed, version,
        "req-" + version);
  }

  @Test
  void aSuppressedPlayerOrDeviceIsSuppressedInItsAppOnlyAndTheFileHoldsNoRawId() throws Exception {
    SuppressionList list = open();
    assertThat(list.apply(entry(list, PLAYER, true, 1))).isTrue();
    assertThat(list.apply(entry(list, DEVICE, true, 2))).isTrue();

    assertThat(list.suppressed("com.game.test", "player_1", null)).isTrue();
    assertThat(list.suppressed("com.game.test", "player_2", "device-9")).isTrue();
    assertThat(list.suppressed("com.game.test", "player_2", "device-8")).isFalse();
    assertThat(list.suppressed("com.other.game", "player_1", "device-9")).isFalse();
    // a player id that is some device's id is not that device
    assertThat(list.suppressed("com.game.test", "device-9", null)).isFalse();
    assertThat(list.suppressed(null, "player_1", null)).isFalse();
    String file = Files.readString(dir.resolve(SuppressionList.FILE));
    assertThat(file).doesNotContain("player_1").doesNotContain("device-9").contains("com.game.test");
    list.close();
  }

  @Test
  void theListIsReadBackAfterARestartTheLaterVersionWinningAndATornLastLineSkipped() throws Exception {
    SuppressionList list = open();
    list.apply(entry(list, PLAYER, true, 5));
    list.apply(entry(list, DEVICE, true, 6));
    list.apply(entry(list, DEVICE, false, 7));
    assertThat(list.apply(entry(list, PLAYER, false, 4))).as("older than what decided it").isFalse();
    list.close();
    // kill -9 in the middle of an append: half a line
    Files.writeString(dir.resolve(SuppressionList.FILE), "{\"digest\":\"ab", StandardOpenOption.APPEND);

    SuppressionList reloaded = open();
    assertThat(reloaded.suppressed("com.game.test", "player_1", null)).isTrue();
    assertThat(reloaded.suppressed("com.game.test", null, "device-9")).isFalse();
    assertThat(reloaded.size()).isEqualTo(1);
    reloaded.apply(entry(reloaded, PLAYER, false, 8));
    reloaded.close();
    assertThat(open().suppressed("com.game.test", "player_1", null)).isFalse();
  }

  @Test
  void theTableKeepsEveryDigestThroughGrowthAndRemoval() throws Exception {
    SuppressionList list = open();
    for (int i = 0; i < 1200; i++) {
      list.apply(entry(list, new Subject("com.game.test", Subject.Kind.PLAYER, "p" + i), true, i + 1));
    }
    for (int i = 0; i < 1200; i += 2) {
      list.apply(entry(list, new Subject("com.game.test", Subject.Kind.PLAYER, "p" + i), false, 5_000 + i));
    }
    for (int i = 0; i < 1200; i++) {
      assertThat(list.suppressed("com.game.test", "p" + i, null)).as("p" + i).isEqualTo(i % 2 == 1);
    }
    assertThat(list.size()).isEqualTo(600);
    list.close();
  }
}
