package io.gameevents.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings members compare at join: each difference is named by its config key. */
class SharedSettingsTest {

  private final SharedSettings mine = new SharedSettings(64, 500, 32 * 1024, null, null);

  @Test
  void equalSettingsAgree() {
    assertThat(mine.difference(new SharedSettings(64, 500, 32 * 1024, null, null), "m1")).isNull();
  }

  @Test
  void theWireLimitsMustAgreeLikeThePartitions() {
    assertThat(mine.difference(new SharedSettings(32, 500, 32 * 1024, null, null), "m1")).isEqualTo(
        "config key 'dedup.partitions' is 64 on this node but 32 on cluster member m1: every node of a cluster "
            + "must use the same value");
    assertThat(mine.difference(new SharedSettings(64, 1000, 32 * 1024, null, null), "m1")).startsWith(
        "config key 'http.max_batch_events' is 500 on this node but 1000 on cluster member m1");
    assertThat(mine.difference(new SharedSettings(64, 500, 64 * 1024, null, null), "m1")).startsWith(
        "config key 'http.max_event_bytes' is 32768 on this node but 65536 on cluster member m1");
  }

  @Test
  void aMemberThatPublishesNoWireLimitsDiffers() {
    SharedSettings older = NodeRoles.fromJson(new JsonObject().put("partitions", 64)).shared();
    assertThat(mine.difference(older, "m1")).startsWith("config key 'http.max_batch_events' is 500 on this node but 0");
  }
}
