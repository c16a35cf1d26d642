package io.gameevents.http;

import io.gameevents.support.ServiceTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** Context, identifier hygiene and the first-mistake hints, through real HTTP: exact answers and sink contents. */
class EventContractHttpTest extends ServiceTestBase {

  private static JsonObject context() {
    return new JsonObject().put("app_version", "2.4.1").put("build", "2041").put("os", "iOS")
        .put("os_version", "18.1").put("device_model", "iPhone15,2").put("device_id", "6b1f7d2c-3a4e")
        .put("locale", "en-US").put("country", "US").put("session_id", "s-20261124-0915")
        .put("sdk", new JsonObject().put("name", "game-events-java").put("version", "1.1.0"));
  }

  @Test
  void contextIsStoredAsColumnsAndTheClientIpIsDropped(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("context", context().put("ip", "198.51.100.23"));
    service.postJson("/v1/events/install", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject record = service.sinkRecords().get(0);
      assertThat(record.getString("app_version")).isEqualTo("2.4.1");
      assertThat(record.getString("os")).isEqualTo("iOS");
      assertThat(record.getString("os_version")).isEqualTo("18.1");
      assertThat(record.getString("device_model")).isEqualTo("iPhone15,2");
      assertThat(record.getString("device_id")).isEqualTo("6b1f7d2c-3a4e");
      assertThat(record.getString("locale")).isEqualTo("en-US");
      assertThat(record.getString("country")).isEqualTo("US");
      assertThat(record.getString("session_id")).isEqualTo("s-20261124-0915");
      assertThat(record.encode()).doesNotContain("198.51.100.23");
      assertThat(record.getJsonObject("raw_payload")).isEqualTo(install(event.getString("event_id"))
          .put("occurred_at", event.getString("occurred_at")).put("context", context()));
      ctx.completeNow();
    })));
  }

  @Test
  void anUnknownContextKeyIs400PointingToProperties(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("context", context().put("level", 3));
    service.postJson("/v1/events/install", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject()).isEqualTo(invalidEvent(response, "install", new JsonArray()
          .add(error("/context/level", "is not a known context field; put game data into properties")), true));
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aControlCharacterInAnIdIs400NamingTheFieldAndPosition(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("player_id", "a\u0000b");
    service.postJson("/v1/events/install", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject()).isEqualTo(invalidEvent(response, "install", new JsonArray()
          .add(error("/player_id",
              "player_id has a control character (U+0000) at position 2: ids may hold printable text only")), true));
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aLoneSurrogateEscapeIsRejectedOnTheWire(VertxTestContext ctx) {
    // JsonObject would not write a lone surrogate as such: the client's bytes are spelled out
    String body = install(newId()).put("player_id", "PLAYER").encode().replace("PLAYER", "p\\ud800");
    service.post("/v1/events/install").sendBuffer(Buffer.buffer(body))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.bodyAsJsonObject().getJsonArray("errors")).isEqualTo(new JsonArray().add(error(
              "/player_id", "player_id has a lone surrogate (U+D800) at position 2: text must be valid Unicode"
                  + " (an escape such as \\ud83d needs its pair, e.g. \\ud83d\\ude00)")));
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void theBatchEndpointAppliesTheSameChecksPerEvent(VertxTestContext ctx) {
    JsonObject valid = purchase(newId()).put("context", context());
    JsonObject badPlayer = install(newId()).put("player_id", "a\u0000b");
    JsonObject badDevice = install(newId()).put("context", new JsonObject().put("device_id", "d\u202e1"));
    JsonObject badCurrency = purchase(newId()).put("currency", "eur");
    service.postJson("/v1/batch", new JsonObject().put("events",
            new JsonArray().add(valid).add(badPlayer).add(badDevice).add(badCurrency)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
              .put("accepted", 1).put("duplicates", 0).put("rejected", 3)
              .put("results", new JsonArray()
                  .add(new JsonObject().put("index", 0).put("event_id", valid.getString("event_id"))
                      .put("status", "accepted"))
                  .add(rejected(1, badPlayer, error("/player_id",
                      "player_id has a control character (U+0000) at position 2: ids may hold printable text only"), true))
                  .add(rejected(2, badDevice, error("/context/device_id", "context.device_id has an invisible"
                      + " bidirectional control character (U+202E) at position 2: ids may hold printable text only"), true))
                  .add(rejected(3, badCurrency, error("/currency", "currency codes are upper case: EUR"), true))));
          List<JsonObject> records = service.sinkRecords();
          assertThat(records).singleElement()
              .satisfies(record -> assertThat(record.getString("device_id")).isEqualTo("6b1f7d2c-3a4e"));
          ctx.completeNow();
        })));
  }

  @Test
  void aMalformedAppIdIs400WithItsPositionEvenForAKeyOfOneApp(VertxTestContext ctx) {
    // the test key may write com.game.test only: a well-formed other app is a 403, a malformed one says why
    JsonObject malformed = install(newId()).put("app_id", "com.game\u0007test");
    JsonObject otherApp = install(newId()).put("app_id", "com.other.game");
    String message = "app_id has a control character (U+0007) at position 9: ids may hold printable text only";
    service.postJson("/v1/events/install", malformed)
        .compose(single -> service.postJson("/v1/batch", new JsonObject().put("events",
            new JsonArray().add(malformed).add(otherApp))).map(batch -> List.of(single, batch)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          HttpResponse<Buffer> single = responses.get(0);
          assertThat(single.statusCode()).isEqualTo(400);
          // refused for its content, but under an app the key may not write: not kept
          assertThat(single.bodyAsJsonObject()).isEqualTo(invalidEvent(single, "install", new JsonArray()
              .add(error("/app_id", message)), false));
          assertThat(responses.get(1).bodyAsJsonObject().getJsonArray("results")).isEqualTo(new JsonArray()
              .add(rejected(0, malformed, error("/app_id", message), false))
              .add(rejected(1, otherApp, error("/app_id",
                  "this credential may not write events for app_id \"com.other.game\""))));
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void aGzipBodyWithoutContentEncodingGetsTheHint(VertxTestContext ctx) {
    JsonObject event = install(newId());
    Buffer compressed = Buffer.buffer(RequestLimitsTest.gzip(event.toBuffer().getBytes()));
    service.post("/v1/events/install").sendBuffer(compressed)
        .compose(refused -> service.post("/v1/events/install").putHeader("Content-Encoding", "gzip")
            .sendBuffer(compressed).map(accepted -> List.of(refused, accepted)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          HttpResponse<Buffer> refused = responses.get(0);
          assertThat(refused.statusCode()).isEqualTo(400);
          assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(refused.bodyAsJsonObject()).isEqualTo(new JsonObject()
              .put("type", "urn:game-events:problem:malformed-request").put("title", "Malformed request")
              .put("status", 400).put("detail", "the body looks gzip-compressed: send Content-Encoding: gzip")
              .put("request_id", refused.getHeader("X-Request-Id")));
          assertThat(responses.get(1).statusCode()).isEqualTo(200);
          assertThat(service.sinkRecords()).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void firstMistakesGetHints(VertxTestContext ctx) {
    JsonObject event = purchase(newId()).put("currency", "eur").put("app_version", "2.4.1")
        .put("occurred_at", "2026-11-24 10:15");
    service.postJson("/v1/events/purchase", event).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(400);
      JsonObject problem = response.bodyAsJsonObject();
      assertThat(problem.getString("detail")).isEqualTo("The purchase event (schema v1) is not valid: 3 fields are wrong.");
      assertThat(problem.getJsonArray("errors")).containsExactlyInAnyOrder(
          error("/currency", "currency codes are upper case: EUR"),
          error("/app_version",
              "is not a known field of a purchase event; put game data into properties, or context for device data"),
          error("/occurred_at",
              "\"2026-11-24 10:15\" is not an RFC 3339 timestamp with offset, e.g. 2026-11-24T10:15:30Z"));
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }

  /** A 400 for the event's content, which says whether the event was kept (docs/refused-events.md). */
  private static JsonObject invalidEvent(HttpResponse<Buffer> response, String type, JsonArray errors, boolean kept) {
    String count = errors.size() == 1 ? "1 field is" : errors.size() + " fields are";
    return new JsonObject().put("type", "urn:game-events:problem:invalid-event").put("title", "Invalid event")
        .put("status", 400).put("detail", "The " + type + " event (schema v1) is not valid: " + count + " wrong.")
        .put("errors", errors).put("kept", kept).put("request_id", response.getHeader("X-Request-Id"));
  }

  private static JsonObject rejected(int index, JsonObject event, JsonObject error) {
    return new JsonObject().put("index", index).put("event_id", event.getString("event_id"))
        .put("status", "rejected").put("errors", new JsonArray().add(error));
  }

  private static JsonObject rejected(int index, JsonObject event, JsonObject error, boolean kept) {
    return rejected(index, event, error).put("kept", kept);
  }

  private static JsonObject error(String pointer, String message) {
    return new JsonObject().put("pointer", pointer).put("message", message);
  }
}
