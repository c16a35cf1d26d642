package io.gameevents.privacyrequests;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The privacy requests API and the suppressed answer, on a running service with a file sink. */
class PrivacyRequestsHttpTest extends ServiceTestBase {

  private HttpResponse<Buffer> request(JsonObject body, String token) throws Exception {
    var post = service.client.post("/v1/privacy/requests").putHeader("Content-Type", "application/json");
    if (token != null) {
      post.putHeader("Authorization", "Bearer " + token);
    }
    return post.sendBuffer(body.toBuffer()).await(60, SECONDS);
  }

  private HttpResponse<Buffer> request(JsonObject body) throws Exception {
    return request(body, TestService.ADMIN_TOKEN);
  }

  private static JsonObject ask(String type, String player) {
    return new JsonObject().put("type", type).put("app_id", TestService.APP).put("player_id", player);
  }

  private HttpResponse<Buffer> send(JsonObject event) throws Exception {
    return service.postJson("/v1/events", event).await(60, SECONDS);
  }

  private List<JsonObject> storedOf(String eventId) {
    return service.sinkRecords().stream().filter(r -> eventId.equals(r.getString("event_id"))).toList();
  }

  private double suppressedCount() {
    return service.registry.get("game_events_events").tag("outcome", "suppressed").counter().count();
  }

  @Test
  void afterSuppressANewEventIsAnsweredSuppressedAndStoredNowhereAndAfterUnsuppressItIsStoredAgain() throws Exception {
    HttpResponse<Buffer> accepted = request(ask("suppress", "player_1"));
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonObject report = accepted.bodyAsJsonObject();
    assertThat(report.getString("state")).isEqualTo("completed");
    assertThat(report.encode()).doesNotContain("player_1");

    String suppressedId = newId();
    HttpResponse<Buffer> answer = send(install(suppressedId));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "duplicate")
        .put("event_id", suppressedId).put("suppressed", true));
    assertThat(suppressedCount()).isEqualTo(1.0);

    // another player of the same app is stored as ever; in a batch, the suppressed one is flagged and counted apart
    String otherId = newId();
    String batchSuppressed = newId();
    HttpResponse<Buffer> batch = service.postJson("/v1/batch", new JsonObject().put("events", new JsonArray()
        .add(install(batchSuppressed)).add(install(otherId).put("player_id", "player_2")))).await(60, SECONDS);
    assertThat(batch.statusCode()).isEqualTo(200);
    JsonObject summary = batch.bodyAsJsonObject();
    assertThat(summary.getInteger("accepted")).isEqualTo(1);
    assertThat(summary.getInteger("duplicates")).isZero();
    assertThat(summary.getInteger("suppressed")).isEqualTo(1);
    assertThat(summary.getInteger("rejected")).isZero();
    assertThat(summary.getJsonArray("results").getJsonObject(0)).isEqualTo(new JsonObject().put("index", 0)
        .put("event_id", batchSuppressed).put("status", "duplicate").put("suppressed", true));
    assertThat(suppressedCount()).isEqualTo(2.0);
    await().atMost(Duration.ofSeconds(30)).until(() -> storedOf(otherId).size() == 1);
    assertThat(storedOf(suppressedId)).isEmpty();
    assertThat(storedOf(batchSuppressed)).isEmpty();

    assertThat(request(ask("unsuppress", "player_1")).statusCode()).isEqualTo(202);
    String againId = newId();
    HttpResponse<Buffer> stored = send(install(againId));
    assertThat(stored.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "accepted").put("event_id", againId));
    await().atMost(Duration.ofSeconds(30)).until(() -> storedOf(againId).size() == 1);
  }

  @Test
  void aSuppressedEventShowsInTheDebuggerAsSuppressedWithNothingStored(io.vertx.core.Vertx vertx) throws Exception {
    assertThat(request(ask("suppress", "player_1")).statusCode()).isEqualTo(202);
    try (io.gameevents.support.SseStream stream = io.gameevents.support.SseStream.open(vertx, service.port,
        "/debugger/events?status=suppressed", TestService.ADMIN_TOKEN).await(60, SECONDS)) {
      String eventId = newId();
      assertThat(send(install(eventId)).statusCode()).isEqualTo(200);
      send(install(newId()).put("player_id", "player_2"));
      await().atMost(Duration.ofSeconds(15)).until(() -> !stream.entries().isEmpty());
      JsonObject entry = stream.entries().get(0);
      assertThat(entry.getString("status")).isEqualTo("suppressed");
      assertThat(entry.getString("event_id")).isEqualTo(eventId);
      assertThat(entry.getValue("stored")).isNull();
      assertThat(stream.entries()).hasSize(1);
    }
  }

  @Test
  void theSameRequestIdWithTheSameBodyIsTheSameRequestAndWithAnotherBodyA409() throws Exception {
    JsonObject body = ask("suppress", "player_7").put("request_id", "ticket-4711");
    HttpResponse<Buffer> first = request(body);
    HttpResponse<Buffer> again = request(body);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getString("request_id")).isEqualTo("ticket-4711");
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(first.getHeader("Location")).isEqualTo("/v1/privacy/requests/ticket-4711");

    HttpResponse<Buffer> conflict = request(ask("suppress", "player_8").put("request_id", "ticket-4711"));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(conflict.bodyAsJsonObject().getString("type")).isEqualTo("urn:game-events:problem:privacy-request-conflict");

    HttpResponse<Buffer> report = service.client.get("/v1/privacy/requests/ticket-4711")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS);
    assertThat(report.statusCode()).isEqualTo(200);
    JsonObject json = report.bodyAsJsonObject();
    assertThat(json.getString("type")).isEqualTo("suppress");
    assertThat(json.getString("subject")).isEqualTo("player");
    assertThat(Instant.parse(json.getString("deadline")))
        .isAfter(Instant.parse(json.getString("received_at")).plus(Duration.ofDays(27)));
    assertThat(service.client.get("/v1/privacy/requests/no-such").putHeader("Authorization", "Bearer "
        + TestService.ADMIN_TOKEN).send().await(60, SECONDS).statusCode()).isEqualTo(404);
  }

  @Test
  void anEraseOnASingleNodeCompletesWithItsReceiptAndKeepsNoRawIdOnDisk() throws Exception {
    HttpResponse<Buffer> accepted = request(ask("erase", "player_9").put("request_id", "erase-1"));
    assertThat(accepted.statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(service.client.get("/v1/privacy/requests/erase-1")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS)
        .bodyAsJsonObject().getString("state")));
    JsonObject report = service.client.get("/v1/privacy/requests/erase-1")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS).bodyAsJsonObject();
    JsonObject node = report.getJsonArray("nodes").getJsonObject(0);
    assertThat(node.getString("state")).isEqualTo("done");
    // one line per store of this node, in the order they ran (the dedup journal's says why it is not rewritten)
    assertThat(node.getJsonArray("stores").stream().map(r -> ((JsonObject) r).getString("store")))
        .containsExactly("lake", "refused", "debugger", "dedup-journal");
    assertThat(report.getJsonArray("pending")).isEmpty();
    assertThat(send(install(newId()).put("player_id", "player_9")).bodyAsJsonObject().getBoolean("suppressed")).isTrue();
    try (Stream<Path> files = Files.walk(service.dataDir.resolve("privacy"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("player_9");
      }
    }
  }

  @Test
  void badInputIsA400NamingEachFieldAndAnythingButAnAdminTokenA401() throws Exception {
    HttpResponse<Buffer> bad = request(new JsonObject().put("type", "forget").put("app_id", "")
        .put("player_id", "p").put("device_id", "d").put("extra", 1));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("type")).isEqualTo("urn:game-events:problem:invalid-privacy-request");
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
        .containsExactlyInAnyOrder("/extra", "/type", "/app_id", "/device_id");
    assertThat(request(new JsonObject().put("type", "erase").put("app_id", TestService.APP)).bodyAsJsonObject()
        .getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/player_id");
    HttpResponse<Buffer> notJson = service.client.post("/v1/privacy/requests")
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).sendBuffer(Buffer.buffer("[1]"))
        .await(60, SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);

    assertThat(request(ask("suppress", "player_1"), TestService.KEY).statusCode()).as("a game's API key").isEqualTo(401);
    assertThat(request(ask("suppress", "player_1"), null).statusCode()).isEqualTo(401);
    assertThat(send(install(newId())).bodyAsJsonObject().getString("status")).isEqualTo("accepted");
  }
}
