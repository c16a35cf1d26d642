package io.gameevents.delivery;

import io.gameevents.config.TombstoneSalt;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.WireLimits;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseTombstonesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:15:30Z"), ZoneOffset.UTC);
  private static final TombstoneSalt SALT = new TombstoneSalt("salt-0123456789ab");
  private static final Subject ALICE = new Subject("game-a", Subject.Kind.PLAYER, "alice");
  /** printf 'salt-0123456789ab\ngame-a\nalice' | sha256sum */
  private static final String ALICE_HASH = "bc91583347e98b4d3369e4e9c9ab75579ab8f007e704dc7428efbda2599880b0";

  private Vertx vertx;
  private final List<EventBatch> delivered = new CopyOnWriteArrayList<>();
  private volatile Outcome answer = Outcome.ACCEPTED;

  @BeforeEach
  void aDeliveryStageThatRecordsWhatItIsSent() throws Exception {
    vertx = Vertx.vertx();
    Wire.registerCodecs(vertx, WireLimits.of(500, 32 * 1024));
    vertx.eventBus().<EventBatch>consumer(Pipeline.deliveryAddress("node-1"), message -> {
      delivered.add(message.body());
      message.reply(Outcomes.all(message.body().size(), answer));
    }).completion().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private WarehouseTombstones store(TombstoneSalt salt) {
    return new WarehouseTombstones(vertx, "node-1", salt, CLOCK, 5_000);
  }

  @Test
  void theSubjectHashIsTheContractsSaltedSha256() {
    assertThat(WarehouseTombstones.subjectHash("salt-0123456789ab", "game-a", "alice")).isEqualTo(ALICE_HASH);
  }

  @Test
  void sendsOneTombstoneRecordToThisNodesDeliveryStageWithTheHashAndNeverTheId() throws Exception {
    StoreReceipt receipt = store(SALT).erase(ALICE);

    assertThat(delivered).singleElement().satisfies(batch -> {
      assertThat(batch.events()).singleElement().satisfies(event -> {
        assertThat(event.appId()).isEqualTo("game-a");
        String record = new String(event.record(), StandardCharsets.UTF_8);
        assertThat(record).doesNotContain("alice");
        assertThat(new JsonObject(record)).isEqualTo(new JsonObject()
            .put("event_id", "tombstone-" + ALICE_HASH.substring(0, 32))
            .put("event_type", "_tombstone").put("schema_version", 1)
            .put("occurred_at", "2026-11-24T10:15:30.000Z").put("received_at", "2026-11-24T10:15:30.000Z")
            .put("app_id", "game-a")
            .put("properties", new JsonObject().put("subject", "player").put("subject_hash", ALICE_HASH)));
        assertThat(event.eventId()).isEqualTo("tombstone-" + ALICE_HASH.substring(0, 32));
      });
    });
    assertThat(receipt.store()).isEqualTo("warehouse");
    assertThat(receipt.note()).contains("tombstone sent").contains("next task run").doesNotContain("alice");
  }

  @Test
  void aDeviceSubjectSaysSo() throws Exception {
    store(SALT).erase(new Subject("game-a", Subject.Kind.DEVICE, "d-1"));

    JsonObject record = new JsonObject(new String(delivered.get(0).events().get(0).record(), StandardCharsets.UTF_8));
    assertThat(record.getJsonObject("properties").getString("subject")).isEqualTo("device");
    assertThat(record.getJsonObject("properties").getString("subject_hash"))
        .isEqualTo(WarehouseTombstones.subjectHash("salt-0123456789ab", "game-a", "d-1"));
  }

  @Test
  void aTombstoneTheSinkDidNotStoreFailsTheErasureSoItIsRetried() {
    answer = Outcome.SINK_FAILED;

    assertThatThrownBy(() -> store(SALT).erase(ALICE)).isInstanceOf(IOException.class).hasMessageContaining("SINK_FAILED");
  }

  @Test
  void withoutASaltNothingIsSentAndTheReceiptSaysWhy() throws Exception {
    StoreReceipt receipt = store(null).erase(ALICE);

    assertThat(delivered).isEmpty();
    assertThat(receipt.note()).contains("privacy.tombstone_salt is not set");
  }
}
