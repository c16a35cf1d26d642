package io.gameevents.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TombstoneSaltTest {

  private static Section privacy(String salt) {
    return Section.root(new JsonObject().put("privacy", new JsonObject().put("tombstone_salt", salt))).section("privacy");
  }

  @Test
  void unsetIsNoSalt() {
    assertThat(TombstoneSalt.from(Section.root(new JsonObject()).section("privacy"))).isNull();
  }

  @Test
  void aRealSaltIsKeptAndNeverPrinted() {
    TombstoneSalt salt = TombstoneSalt.from(privacy("6b0c1f0e9d2a4c55a7"));
    assertThat(salt.value()).isEqualTo("6b0c1f0e9d2a4c55a7");
    assertThat(salt.toString()).doesNotContain("6b0c");
  }

  @Test
  void aPlaceholderOrAShortSaltFailsStartUpNamingTheKey() {
    assertThatThrownBy(() -> TombstoneSalt.from(privacy("REPLACE-ME-with-a-long-salt")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.tombstone_salt").hasMessageContaining("placeholder");
    assertThatThrownBy(() -> TombstoneSalt.from(privacy("short")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("privacy.tombstone_salt").hasMessageContaining("16");
  }
}
