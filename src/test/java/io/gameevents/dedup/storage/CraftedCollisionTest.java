package io.gameevents.dedup.storage;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two events of two apps whose ids were crafted to collide under the old, unkeyed identity: an attacker
 * holding one app's public key sends its id first, and the other app's event must still be stored, not
 * answered "duplicate".
 */
class CraftedCollisionTest extends ServiceTestBase {

  @Test
  void idsCraftedToCollideUnderTheOldHashAreTwoEvents() throws Exception {
    JsonObject attacker = TestService.purchase(CraftedCollision.ATTACKER_EVENT_ID)
        .put("app_id", CraftedCollision.ATTACKER_APP);
    JsonObject victim = TestService.purchase(CraftedCollision.VICTIM_EVENT_ID).put("app_id", CraftedCollision.VICTIM_APP);

    var first = service.post("/v1/events/purchase", TestService.KEY).sendJsonObject(attacker)
        .await(10, TimeUnit.SECONDS);
    var second = service.post("/v1/events/purchase", TestService.OTHER_APP_KEY).sendJsonObject(victim)
        .await(10, TimeUnit.SECONDS);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
    assertThat(service.sinkRecords()).extracting(record -> record.getString("app_id") + "/"
        + record.getString("event_id")).containsExactlyInAnyOrder(
        CraftedCollision.ATTACKER_APP + "/" + CraftedCollision.ATTACKER_EVENT_ID,
        CraftedCollision.VICTIM_APP + "/" + CraftedCollision.VICTIM_EVENT_ID);
  }
}
