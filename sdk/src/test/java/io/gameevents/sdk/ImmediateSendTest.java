package io.gameevents.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.awaitility.Awaitility;
import static io.gameevents.sdk.ClientTestSupport.API_KEY;
import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ImmediateSendTest {

  private ScriptedServer server;
  private GameEventClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = ScriptedServer.start(vertx);
    client = new GameEventClient(vertx, fastConfig(server.baseUrl()));
  }

  @AfterEach
  void stop() throws Exception {
    await(client.closeAsync());
    server.close();
  }

  @Test
  void installIsPostedWithCredentialAndContractPayload() throws Exception {
    InstallEvent install = InstallEvent.create("player_1", "com.game.test", "ios");

    EventResponse response = await(client.sendInstall(install));

    assertThat(response.httpStatus()).isEqualTo(200);
    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(response.eventId()).isEqualTo(install.eventId());
    assertThat(response.body())
        .isEqualTo("{\"status\":\"accepted\",\"event_id\":\"" + install.eventId() + "\"}");
    assertThat(response.attempts()).isEqualTo(1);
    ScriptedServer.Recorded request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/events/install");
    assertThat(request.headers().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(request.headers().get("Content-Encoding")).isNull();
    JsonObject sent = request.json();
    String sentAt = (String) sent.remove("sent_at");
    assertThat(sentAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(sent).isEqualTo(install.toJson());
  }

  @Test
  void purchaseAndCustomEventsGoToTheirPaths() throws Exception {
    PurchaseEvent purchase = PurchaseEvent.create("player_1", "com.game.test", "ios",
        "gems_pack_01", 1, 4_990_000, "EUR");
    CustomEvent levelUp = CustomEvent.create("level_up", "player_1", "com.game.test", "ios",
        new JsonObject().put("level", 3));

    assertThat(await(client.sendPurchase(purchase)).status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(await(client.send(levelUp)).status()).isEqualTo(EventStatus.ACCEPTED);

    List<ScriptedServer.Recorded> requests = server.requests();
    assertThat(requests).extracting(ScriptedServer.Recorded::path)
        .containsExactly("/v1/events/purchase", "/v1/events");
    assertThat(requests.get(0).json().getLong("amount_micros")).isEqualTo(4_990_000L);
    assertThat(requests.get(0).json().getString("currency")).isEqualTo("EUR");
    assertThat(requests.get(1).json().getString("event_type")).isEqualTo("level_up");
  }

  @Test
  void duplicateCountsAsDelivered() throws Exception {
    server.then(request -> ScriptedServer.accepted(request, "duplicate"));

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.status()).isEqualTo(EventStatus.DUPLICATE);
    assertThat(response.delivered()).isTrue();
  }

  @Test
  void retryAfter503KeepsTheEventIdRefreshesSentAtAndWaitsRetryAfter() throws Exception {
    server.thenReply(503, "{\"title\":\"Service Unavailable\",\"status\":503}", "Retry-After", "1");
    server.thenProblem(503, "Service Unavailable");

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(response.attempts()).isEqualTo(3);
    List<ScriptedServer.Recorded> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(r -> r.json().getString("event_id")).containsOnly(response.eventId());
    Instant firstSentAt = Instant.parse(requests.get(0).json().getString("sent_at"));
    Instant secondSentAt = Instant.parse(requests.get(1).json().getString("sent_at"));
    Instant thirdSentAt = Instant.parse(requests.get(2).json().getString("sent_at"));
    assertThat(secondSentAt).isAfterOrEqualTo(firstSentAt.plusSeconds(1));
    assertThat(thirdSentAt).isAfterOrEqualTo(secondSentAt);
    long gapMillis = Duration.ofNanos(requests.get(1).receivedNanos() - requests.get(0).receivedNanos()).toMillis();
    assertThat(gapMillis).as("wait after Retry-After: 1").isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aSendCarriesOneRequestIdOverItsRetriesAndTheResponseNamesIt() throws Exception {
    server.thenProblem(503, "Service Unavailable");

    EventResponse retried = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));
    EventResponse next = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    List<String> sent = server.requests().stream().map(r -> r.headers().get("X-Request-Id")).toList();
    assertThat(sent).hasSize(3);
    assertThat(sent.get(0)).matches("[0-9a-f]{32}").isEqualTo(sent.get(1)).isEqualTo(retried.requestId());
    assertThat(sent.get(2)).isEqualTo(next.requestId()).isNotEqualTo(sent.get(0));
    assertThat(retried.toString()).endsWith("[request id " + retried.requestId() + "]");
  }

  @Test
  void retryAfter429HonoursRetryAfter() throws Exception {
    server.thenReply(429, "{\"title\":\"Too Many Requests\",\"status\":429}", "Retry-After", "1");

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    List<ScriptedServer.Recorded> requests = server.requests();
    assertThat(requests).hasSize(2);
    long gapMillis = Duration.ofNanos(requests.get(1).receivedNanos() - requests.get(0).receivedNanos()).toMillis();
    assertThat(gapMillis).isGreaterThanOrEqualTo(1000);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 413, 415})
  void clientErrorsAreReportedNotRetried(int status) throws Exception {
    server.thenReply(status, new JsonObject().put("type", "about:blank").put("title", "Nope").put("status", status)
            .put("detail", "scripted " + status)
            .put("errors", List.of(new JsonObject().put("pointer", "/currency").put("message", "unknown"))).encode(),
        "Content-Type", "application/problem+json");

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.httpStatus()).isEqualTo(status);
    assertThat(response.status()).isEqualTo(EventStatus.REJECTED);
    assertThat(response.attempts()).isEqualTo(1);
    assertThat(response.problem().title()).isEqualTo("Nope");
    assertThat(response.problem().detail()).isEqualTo("scripted " + status);
    assertThat(response.fieldErrors()).containsExactly(new FieldError("/currency", "unknown"));
    // a wrongly scheduled retry would arrive within the 100 ms max backoff
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
        .until(() -> server.requests().size() == 1);
  }

  @Test
  void droppedConnectionIsRetried() throws Exception {
    server.thenDrop();

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests()).extracting(r -> r.json().getString("event_id")).containsOnly(response.eventId());
  }

  @Test
  void requestTimeoutIsRetried(Vertx vertx) throws Exception {
    GameEventClient impatient = new GameEventClient(vertx, fastConfig(server.baseUrl())
        .setRequestTimeout(Duration.ofMillis(300)));
    server.thenHang();

    EventResponse response = await(impatient.send(InstallEvent.create("p", "com.game.test", "ios")));
    await(impatient.closeAsync());

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(response.attempts()).isEqualTo(2);
  }

  @Test
  void exhaustedRetryBudgetReportsFailedWithTheLastAnswer(Vertx vertx) throws Exception {
    GameEventClient limited = new GameEventClient(vertx, fastConfig(server.baseUrl()).setMaxAttempts(3));
    for (int i = 0; i < 3; i++) {
      server.thenProblem(503, "Service Unavailable");
    }

    EventResponse response = await(limited.send(InstallEvent.create("p", "com.game.test", "ios")));
    await(limited.closeAsync());

    assertThat(response.status()).isEqualTo(EventStatus.FAILED);
    assertThat(response.httpStatus()).isEqualTo(503);
    assertThat(response.attempts()).isEqualTo(3);
    assertThat(response.problem().title()).isEqualTo("Service Unavailable");
    assertThat(server.requests()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999999", "99999999999999999999"}) // ~31,700 years; beyond a long
  void retryAfterBeyondTheBudgetGivesUpAtOnceAndSaysSo(String retryAfter) throws Exception {
    server.thenReply(429, "{\"title\":\"Too Many Requests\",\"status\":429}", "Retry-After", retryAfter);

    EventResponse response = await(client.send(InstallEvent.create("p", "com.game.test", "ios")));

    assertThat(response.status()).isEqualTo(EventStatus.FAILED);
    assertThat(response.httpStatus()).isEqualTo(429);
    assertThat(response.attempts()).isEqualTo(1);
    assertThat(response.problem().title()).isEqualTo("Too Many Requests");
    assertThat(response.failure()).isInstanceOf(RetryAfterBeyondBudgetException.class)
        .hasMessageContaining("retry budget");
    RetryAfterBeyondBudgetException why = (RetryAfterBeyondBudgetException) response.failure();
    assertThat(why.retryAfterMillis()).isGreaterThanOrEqualTo(999_999_999_999_000L);
    assertThat(why.remainingMillis()).isBetween(0L, 60_000L);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void connectionRefusedFailsAfterTheBudgetWithTheCause(Vertx vertx) throws Exception {
    GameEventClient offline = new GameEventClient(vertx,
        fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort()).setMaxAttempts(2));

    EventResponse response = await(offline.send(InstallEvent.create("p", "com.game.test", "ios")));
    await(offline.closeAsync());

    assertThat(response.status()).isEqualTo(EventStatus.FAILED);
    assertThat(response.httpStatus()).isZero();
    assertThat(response.attempts()).isEqualTo(2);
    assertThat(response.failure()).isNotNull();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void largeBodiesAreGzippedSmallOnesAreNot() throws Exception {
    InstallEvent big = InstallEvent.create("p", "com.game.test", "ios").withProperty("blob", "x".repeat(6000));
    InstallEvent small = InstallEvent.create("p", "com.game.test", "ios");

    await(client.send(big));
    await(client.send(small));

    ScriptedServer.Recorded bigRequest = server.requests().get(0);
    assertThat(bigRequest.headers().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(bigRequest.wireBytes()).isLessThan(bigRequest.body().length());
    assertThat(bigRequest.json().getJsonObject("properties").getString("blob")).hasSize(6000);
    assertThat(server.requests().get(1).headers().get("Content-Encoding")).isNull();
  }

  @Test
  void eventsAboveMaxEventBytesAreRefusedLocally() {
    InstallEvent huge = InstallEvent.create("p", "com.game.test", "ios").withProperty("blob", "x".repeat(40_000));

    assertThatThrownBy(() -> client.send(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEventBytes");
    assertThatThrownBy(() -> client.track(huge)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sendAfterCloseFails() throws Exception {
    await(client.closeAsync());

    Throwable failure = ClientTestSupport.awaitFailure(client.send(InstallEvent.create("p", "a", "ios")));

    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> client.track(InstallEvent.create("p", "a", "ios")))
        .isInstanceOf(IllegalStateException.class);
  }
}
