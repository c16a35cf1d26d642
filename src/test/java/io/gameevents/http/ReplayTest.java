package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.support.RefusedRecords;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /v1/admin/replay: refused records (in the refused lake's format) go back through validation and dedup under
 * the schemas in force now. Here a custom purchase schema takes a currency in any case, so the purchases the
 * built-in schema refused for "eur" pass; and events are at most a day old, so a replayed event's age must be
 * judged against when it was refused, two days ago, not against now.
 */
class ReplayTest extends ServiceTestBase {

  private static final String PURCHASE_ANY_CASE_CURRENCY = "purchase.v1.json";

  @TempDir
  static Path schemas;

  private final Instant refusedAt = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

  @Override
  protected JsonObject configure(JsonObject config) {
    try (var builtIn = getClass().getClassLoader().getResourceAsStream("schemas/purchase.v1.json")) {
      String schema = new String(builtIn.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("\"currency\": { \"$ref\": \"common.v1.json#/$defs/currency\" }",
              "\"currency\": { \"type\": \"string\", \"pattern\": \"^[A-Za-z]{3}$\" }");
      assertThat(schema).contains("^[A-Za-z]{3}$");
      Files.writeString(schemas.resolve(PURCHASE_ANY_CASE_CURRENCY), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.put("validation", new JsonObject().put("schema_directory", schemas.toString())
        .put("max_age_seconds", 24 * 3600));
  }

  @Test
  void refusedEventsTheSchemasNowAcceptAreStoredOnceWithTheirContextAndTheReplayMark() throws Exception {
    JsonObject first = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1");
    JsonObject second = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(30), "2.4.1");
    JsonArray records = new JsonArray().add(refused(first)).add(refused(second));
    Instant before = Instant.now();

    HttpResponse<Buffer> replayed = replay(records, TestService.ADMIN_TOKEN);

    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", 2).put("duplicates", 0)
        .put("rejected", 0).put("results", new JsonArray()
            .add(result(0, first, "accepted")).add(result(1, second, "accepted"))));
    List<JsonObject> stored = service.sinkRecords();
    assertThat(stored).extracting(r -> r.getString("event_id"))
        .containsExactly(first.getString("event_id"), second.getString("event_id"));
    for (JsonObject record : stored) {
      assertThat(record.getString("currency")).isEqualTo("eur");
      assertThat(record.getString("app_version")).isEqualTo("2.4.1");
      assertThat(record.getString("os")).isEqualTo("Android");
      assertThat(Instant.parse(record.getString("received_at"))).isEqualTo(refusedAt);
      assertThat(Instant.parse(record.getString("replayed_at"))).isBetween(before.truncatedTo(ChronoUnit.MILLIS),
          Instant.now());
    }
    assertThat(stored.get(0).getJsonObject("raw_payload")).isEqualTo(first);

    HttpResponse<Buffer> again = replay(records, TestService.ADMIN_TOKEN);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", 0).put("duplicates", 2)
        .put("rejected", 0).put("results", new JsonArray()
            .add(result(0, first, "duplicate")).add(result(1, second, "duplicate"))));
    assertThat(service.sinkRecords()).hasSize(2);
  }

  @Test
  void anEventStillInvalidStaysRefusedWithItsNewReasonsAndTheOthersAreStored() throws Exception {
    JsonObject stillBad = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1")
        .put("currency", "euro");
    JsonObject good = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1");

    HttpResponse<Buffer> replayed = replay(new JsonArray().add(refused(stillBad)).add(refused(good)),
        TestService.ADMIN_TOKEN);

    assertThat(replayed.statusCode()).isEqualTo(200);
    JsonObject answer = replayed.bodyAsJsonObject();
    assertThat(answer.getInteger("accepted")).isEqualTo(1);
    assertThat(answer.getInteger("rejected")).isEqualTo(1);
    JsonObject rejected = answer.getJsonArray("results").getJsonObject(0);
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(rejected.getString("type")).isEqualTo("invalid-event");
    assertThat(rejected.getJsonArray("errors")).hasSize(1);
    assertThat(rejected.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/currency");
    assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id"))
        .containsExactly(good.getString("event_id"));
  }

  @Test
  void anEventTooOldWhenItWasRefusedStaysRefused() throws Exception {
    JsonObject old = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minus(Duration.ofDays(2)), "2.4.1");

    JsonObject answer = replay(new JsonArray().add(refused(old)), TestService.ADMIN_TOKEN).bodyAsJsonObject();

    JsonObject result = answer.getJsonArray("results").getJsonObject(0);
    assertThat(result.getString("status")).isEqualTo("rejected");
    assertThat(result.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/occurred_at");
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void aGamesKeyOrNoTokenIsRefusedAndNothingIsStored() throws Exception {
    JsonArray records = new JsonArray().add(refused(
        RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1")));

    HttpResponse<Buffer> withApiKey = replay(records, TestService.KEY);
    HttpResponse<Buffer> withNone = replay(records, null);

    for (HttpResponse<Buffer> refused : List.of(withApiKey, withNone)) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.getHeader("Content-Type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("urn:game-events:problem:unauthorized");
      assertThat(refused.bodyAsJsonObject().getString("detail")).endsWith("; replay takes an admin token (admin.tokens)");
    }
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void anEventIsStoredOnlyForAnAppItsOriginalKeyMayStillWrite() throws Exception {
    JsonObject event = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1");
    JsonObject byOtherAppsKey = RefusedRecords.of(refusedAt, "other", event, "/currency", "lower case");
    JsonObject byRemovedKey = RefusedRecords.of(refusedAt, "removed", event, "/currency", "lower case");

    JsonObject answer = replay(new JsonArray().add(byOtherAppsKey).add(byRemovedKey), TestService.ADMIN_TOKEN)
        .bodyAsJsonObject();

    assertThat(answer.getInteger("rejected")).isEqualTo(2);
    JsonArray results = answer.getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("type")).isEqualTo("forbidden-app");
    assertThat(results.getJsonObject(0).getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/app_id");
    assertThat(results.getJsonObject(1).getString("type")).isEqualTo("forbidden-app");
    assertThat(results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/records/1/key_id");
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void aRecordThatIsNotUsableIsRejectedByItsField() throws Exception {
    JsonObject event = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1");
    JsonObject noTime = refused(event);
    noTime.remove("refused_at");
    JsonObject truncated = refused(event).put("payload_truncated", true);
    JsonObject notJson = refused(event).put("payload", "{\"event_id\": ");

    JsonArray results = replay(new JsonArray().add(noTime).add(truncated).add(notJson), TestService.ADMIN_TOKEN)
        .bodyAsJsonObject().getJsonArray("results");

    assertThat(results.getJsonObject(0).getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/records/0/refused_at");
    assertThat(results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/records/1/payload_truncated");
    assertThat(results.getJsonObject(2).getString("type")).isEqualTo("malformed-request");
    assertThat(results).allSatisfy(r -> assertThat(((JsonObject) r).getString("status")).isEqualTo("rejected"));
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void theDocumentsExampleRecordIsReplayedAndStored() throws Exception {
    JsonNode spec = ServedSpec.fetch(service);
    JsonNode example = spec.at("/paths/~1v1~1admin~1replay/post/requestBody/content/application~1json/examples"
        + "/lowerCaseCurrency/value");
    assertThat(ServedSpec.errors(spec, spec.at("/paths/~1v1~1admin~1replay/post/requestBody/content/application~1json"
        + "/schema"), example)).isEmpty();

    HttpResponse<Buffer> replayed = service.post(ReplayHandler.PATH, TestService.ADMIN_TOKEN)
        .sendBuffer(Buffer.buffer(example.toString())).await(60, SECONDS);

    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    assertThat(service.sinkRecords()).extracting(r -> r.getString("received_at"))
        .containsExactly(example.at("/records/0/refused_at").asText());
  }

  /**
   * Replay is an operator's send, not a way around a player's request: a suppressed player's refused event is
   * answered like any suppressed event (the final "duplicate", flagged) and stored nowhere; another's is stored.
   */
  @Test
  void aSuppressedPlayersRefusedEventIsAnsweredSuppressedAndNotStored() throws Exception {
    HttpResponse<Buffer> suppress = service.post("/v1/privacy/requests", TestService.ADMIN_TOKEN)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(new JsonObject().put("type", "suppress").put("app_id", TestService.APP)
            .put("player_id", "player_gone").toBuffer()).await(60, SECONDS);
    assertThat(suppress.statusCode()).as(suppress.bodyAsString()).isEqualTo(202);
    JsonObject gone = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(60), "2.4.1")
        .put("player_id", "player_gone");
    JsonObject kept = RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(30), "2.4.1");
    double suppressedBefore = service.registry.get("game_events_events").tag("outcome", "suppressed").counter().count();

    HttpResponse<Buffer> replayed = replay(new JsonArray().add(refused(gone)).add(refused(kept)),
        TestService.ADMIN_TOKEN);

    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", 1).put("duplicates", 0)
        .put("rejected", 0).put("suppressed", 1).put("results", new JsonArray()
            .add(result(0, gone, "duplicate").put("suppressed", true)).add(result(1, kept, "accepted"))));
    assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id"))
        .containsExactly(kept.getString("event_id"));
    assertThat(service.registry.get("game_events_events").tag("outcome", "suppressed").counter().count())
        .isEqualTo(suppressedBefore + 1);
  }

  private JsonObject refused(JsonObject event) {
    return RefusedRecords.of(refusedAt, "dev", event, "/currency", "currency codes are upper case: EUR");
  }

  private static JsonObject result(int index, JsonObject event, String status) {
    return new JsonObject().put("index", index).put("event_id", event.getString("event_id")).put("status", status);
  }

  private HttpResponse<Buffer> replay(JsonArray records, String token) throws Exception {
    return service.post(ReplayHandler.PATH, token).sendBuffer(new JsonObject().put("records", records).toBuffer())
        .await(60, SECONDS);
  }
}
