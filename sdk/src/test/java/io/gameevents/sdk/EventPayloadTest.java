package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventPayloadTest {

  private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456Z");

  @Test
  void installSerializesToTheContractFields() {
    InstallEvent install = InstallEvent.create("player_1", "com.game.test", "ios")
        .withEventId("evt-1").withOccurredAt(AT);

    assertThat(install.toJson()).isEqualTo(new JsonObject()
        .put("event_id", "evt-1")
        .put("event_type", "install")
        .put("occurred_at", "2026-11-24T10:15:30.123Z")
        .put("player_id", "player_1")
        .put("app_id", "com.game.test")
        .put("platform", "ios")
        .put("schema_version", 1));
  }

  @Test
  void purchaseAddsProductQuantityAmountAndCurrency() {
    PurchaseEvent purchase = PurchaseEvent.create("player_1", "com.game.test", "android",
        "gems_pack_01", 2, 4_990_000, "EUR").withEventId("evt-2").withOccurredAt(AT)
        .withProperty("store", "google_play");

    assertThat(purchase.toJson()).isEqualTo(new JsonObject()
        .put("event_id", "evt-2")
        .put("event_type", "purchase")
        .put("occurred_at", "2026-11-24T10:15:30.123Z")
        .put("player_id", "player_1")
        .put("app_id", "com.game.test")
        .put("platform", "android")
        .put("schema_version", 1)
        .put("product_id", "gems_pack_01")
        .put("quantity", 2)
        .put("amount_micros", 4_990_000L)
        .put("currency", "EUR")
        .put("properties", new JsonObject().put("store", "google_play")));
  }

  @Test
  void customEventCarriesItsTypeAndProperties() {
    CustomEvent levelUp = CustomEvent.create("level_up", "player_1", "com.game.test", "steam",
        new JsonObject().put("level", 7)).withSchemaVersion(2);

    JsonObject json = levelUp.toJson();
    assertThat(json.getString("event_type")).isEqualTo("level_up");
    assertThat(json.getInteger("schema_version")).isEqualTo(2);
    assertThat(json.getJsonObject("properties")).isEqualTo(new JsonObject().put("level", 7));
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("event_id", "event_type", "occurred_at",
        "player_id", "app_id", "platform", "schema_version", "properties");
  }

  @Test
  void createGeneratesAUuidAndTheCurrentTimeInRfc3339() {
    Instant before = Instant.now().minusMillis(1);
    InstallEvent install = InstallEvent.create("p", "a", "web");

    assertThat(UUID.fromString(install.eventId()).toString()).isEqualTo(install.eventId());
    assertThat(install.occurredAt()).isBetween(before, Instant.now());
    assertThat(install.toJson().getString("occurred_at"))
        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(InstallEvent.create("p", "a", "web").eventId()).isNotEqualTo(install.eventId());
  }

  @Test
  void eventsAreImmutable() {
    JsonObject properties = new JsonObject().put("k", "v");
    CustomEvent event = CustomEvent.create("quest_done", "p", "a", "xbox", properties);
    properties.put("k", "changed");
    event.properties().put("k", "changed too");
    CustomEvent renamed = event.withEventId("other");

    assertThat(event.toJson().getJsonObject("properties").getString("k")).isEqualTo("v");
    assertThat(event.eventId()).isNotEqualTo("other");
    assertThat(renamed.eventId()).isEqualTo("other");
  }

  @Test
  void invalidFieldsAreRefusedWithTheFieldName() {
    assertThatThrownBy(() -> InstallEvent.create(" ", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("player_id");
    assertThatThrownBy(() -> InstallEvent.create("p", "com game", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app_id");
    assertThatThrownBy(() -> InstallEvent.create("p".repeat(129), "a", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("player_id");
    assertThatThrownBy(() -> purchase("sku", 1, 1_000_000_000_000_001L, "EUR"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount_micros");
    assertThatThrownBy(() -> InstallEvent.create("p", "a", "iOS"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("platform");
    assertThatThrownBy(() -> purchase("", 1, 1, "EUR"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("product_id");
    assertThatThrownBy(() -> purchase("sku", 0, 1, "EUR"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantity");
    assertThatThrownBy(() -> purchase("sku", 1, -1, "EUR"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount_micros");
    assertThatThrownBy(() -> purchase("sku", 1, 1, "eur"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("currency");
    assertThatThrownBy(() -> purchase("sku", 1, 1, "ABC"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("currency 'ABC'");
    assertThatThrownBy(() -> InstallEvent.create("p", "a", "ios").withEventId("has space"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_id");
    assertThatThrownBy(() -> InstallEvent.create("p", "a", "ios").withEventId("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_id");
    assertThatThrownBy(() -> InstallEvent.create("p", "a", "ios").withSchemaVersion(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema_version");
    assertThatThrownBy(() -> CustomEvent.create("Level-Up", "p", "a", "ios", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_type");
  }

  @Test
  void idsMustBePrintableTextAndTheMessageSaysWhereNot() {
    assertThatThrownBy(() -> InstallEvent.create("a\u0000b", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("player_id has a control character (U+0000) at position 2: ids must be printable text");
    assertThatThrownBy(() -> InstallEvent.create("a\ud800", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("player_id has a lone surrogate");
    assertThatThrownBy(() -> InstallEvent.create("line\nbreak", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a control character (U+000A) at position 5");
    assertThatThrownBy(() -> InstallEvent.create("abc\u202edef", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bidirectional control character");
    // positions count characters, as the server's messages do: the emoji before the NUL is one
    assertThatThrownBy(() -> InstallEvent.create("\ud83c\udfae\u0000", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at position 2");
    assertThatThrownBy(() -> InstallEvent.create("p\u00a0", "com.game.test", "ios"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("player_id must not end with whitespace");
    // free-text context fields only refuse what cannot be sent at all
    assertThat(EventContext.builder().os("Windows 10 ").build().os()).isEqualTo("Windows 10 ");
    assertThatThrownBy(() -> EventContext.builder().appVersion("1.\udc00"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context.app_version has a lone surrogate");
    assertThatThrownBy(() -> EventContext.builder().osVersion("1".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context.os_version must be at most 64");
    assertThatThrownBy(() -> purchase(" sku", 1, 1, "EUR"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("product_id must not start with whitespace");
    assertThatThrownBy(() -> EventContext.builder().sessionId("s\u0085"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context.session_id has a control");
    assertThatThrownBy(() -> EventContext.builder().deviceId("dev "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("context.device_id must not end with whitespace");
    // printable text beyond ASCII, surrogate pairs included, is fine
    assertThat(InstallEvent.create("jögador_\ud83c\udfae", "com.game.test", "ios").playerId())
        .isEqualTo("jögador_🎮");
  }

  @Test
  void zeroAmountAndEveryPlatformAreAccepted() {
    assertThat(purchase("free_gift", 1, 0, "JPY").amountMicros()).isZero();
    for (Platform platform : Platform.values()) {
      assertThat(InstallEvent.create("p", "a", platform.wireName()).platform()).isEqualTo(platform.wireName());
    }
  }

  private static PurchaseEvent purchase(String productId, int quantity, long amountMicros, String currency) {
    return PurchaseEvent.create("p", "a", "ios", productId, quantity, amountMicros, currency);
  }
}
