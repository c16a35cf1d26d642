package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One JSON access line per request, read back as the service's encoder writes it. */
class AccessLogTest extends ServiceTestBase {

  private CapturedLog log;

  /** With HTTP/2 over cleartext on (http.h2c), for the upgraded request's line below. */
  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("h2c", true);
    return config;
  }

  @BeforeEach
  void capture() {
    log = CapturedLog.access();
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void anAcceptedEventHasItsLineWithTheStructuredFields() throws Exception {
    HttpResponse<Buffer> response = service.post("/v1/events/install").putHeader("X-Request-Id", "trace-42")
        .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);

    JsonObject line = lineOf(response);
    assertThat(line.getString("@timestamp")).isNotBlank();
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("logger")).isEqualTo("game-events.access");
    assertThat(line.getString("message")).isEqualTo("POST /v1/events/{type} 200");
    assertThat(line.getString("request_id")).isEqualTo("trace-42");
    assertThat(line.getString("method")).isEqualTo("POST");
    assertThat(line.getString("path")).isEqualTo("/v1/events/{type}");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getString("client")).isEqualTo("127.0.0.1");
    assertThat(line.getString("key_id")).isEqualTo("dev");
    assertThat(line.getString("app_id")).isEqualTo(TestService.APP);
    assertThat(line.getInteger("events")).isEqualTo(1);
    assertThat(line.getValue("duration_ms")).isInstanceOf(Number.class);
    assertThat(line.getLong("duration_ms")).isNotNegative();
    assertThat(line.containsKey("reason")).isFalse();
    assertThat(line.containsKey("suppressed")).isFalse();
  }

  @Test
  void aBatchCountsItsEvents() throws Exception {
    JsonArray batch = new JsonArray().add(install(newId())).add(install(newId())).add(install(newId()).put("amount", 1));
    HttpResponse<Buffer> response = service.postJson("/v1/batch", new JsonObject().put("events", batch)).await(60, SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);

    JsonObject line = lineOf(response);
    assertThat(line.getString("path")).isEqualTo("/v1/batch");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getInteger("events")).isEqualTo(3);
    assertThat(line.getString("app_id")).isEqualTo(TestService.APP);
  }

  @Test
  void aRefusalSaysWhyAndWhoseCredential() throws Exception {
    HttpResponse<Buffer> unknownKey = service.post("/v1/events/install", "not-a-key-we-know")
        .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> otherApp = service.post("/v1/events/install", TestService.OTHER_APP_KEY)
        .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> invalid = service.postJson("/v1/events/install", install(newId()).put("amount", 1)).await(60, SECONDS);
    HttpResponse<Buffer> noJson = service.client.post("/v1/events/install").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("x")).await(60, SECONDS);
    HttpResponse<Buffer> nowhere = service.client.get("/no/such/path?token=abc").send().await(60, SECONDS);

    JsonObject line = lineOf(unknownKey);
    assertThat(line.getInteger("status")).isEqualTo(401);
    assertThat(line.getString("reason")).isEqualTo("unauthorized");
    assertThat(line.getString("cause")).isEqualTo("unknown API key");
    assertThat(line.containsKey("key_id")).isFalse();
    assertThat(line.getLong("suppressed")).isZero();

    line = lineOf(otherApp);
    assertThat(line.getInteger("status")).isEqualTo(403);
    assertThat(line.getString("reason")).isEqualTo("forbidden-app");
    assertThat(line.getString("key_id")).isEqualTo("other");
    assertThat(line.containsKey("app_id")).as("an app the credential may not write is not logged").isFalse();
    assertThat(line.getInteger("events")).isEqualTo(1);

    line = lineOf(invalid);
    assertThat(line.getInteger("status")).isEqualTo(400);
    assertThat(line.getString("reason")).isEqualTo("invalid-event");
    assertThat(line.getString("key_id")).isEqualTo("dev");
    assertThat(line.getString("app_id")).isEqualTo(TestService.APP);

    line = lineOf(noJson);
    assertThat(line.getInteger("status")).isEqualTo(415);
    assertThat(line.getString("reason")).isEqualTo("unsupported-media-type");
    assertThat(line.getString("cause")).isEqualTo("content_type");
    assertThat(line.containsKey("events")).isFalse();

    line = lineOf(nowhere);
    assertThat(line.getString("method")).isEqualTo("GET");
    assertThat(line.getString("path")).as("the raw path is the client's text").isEqualTo("other");
    assertThat(line.getInteger("status")).isEqualTo(404);
    assertThat(line.getString("reason")).isEqualTo("not-found");
  }

  /** Java's HttpClient upgrades to HTTP/2 (h2c): the old connection closes after the answer, which still counts. */
  @Test
  void aRequestUpgradedToHttp2IsLoggedWithItsStatus() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + service.port + "/v1/events/install"))
            .version(java.net.http.HttpClient.Version.HTTP_2).header("X-Request-Id", "h2c-1")
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.KEY)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(install(newId()).encode())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> log.request("h2c-1") != null);
    assertThat(log.request("h2c-1").getInteger("status")).isEqualTo(200);
    assertThat(log.request("h2c-1").containsKey("reason")).isFalse();
  }

  /** A client that leaves before its answer still has its line: 499, as nginx says it. */
  @Test
  void aClientThatGoesAwayIsLoggedAs499() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", service.port)) {
      socket.getOutputStream().write(("POST /v1/events/install HTTP/1.1\r\nHost: x\r\nX-Request-Id: gone-1\r\n"
          + "Content-Type: application/json\r\nAuthorization: Bearer " + TestService.KEY + "\r\n"
          + "Content-Length: 100\r\n\r\n{\"half\": ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    } // half the body, then the client hangs up: the server reads the headers before it sees the close
    await().atMost(Duration.ofSeconds(10)).until(() -> log.request("gone-1") != null);
    JsonObject line = log.request("gone-1");
    assertThat(line.getInteger("status")).isEqualTo(499);
    assertThat(line.getString("reason")).isEqualTo("client-closed");
    assertThat(line.getString("key_id")).isEqualTo("dev");
  }

  /** Every line about a request names it by the id the client got back in X-Request-Id. */
  @Test
  void everyRequestHasOneLineWithTheIdOfItsAnswer() throws Exception {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      responses.add(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS));
      responses.add(service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS));
      responses.add(service.client.get("/health").send().await(60, SECONDS));
    }
    List<String> ids = responses.stream().map(response -> response.getHeader("X-Request-Id")).toList();
    await().atMost(Duration.ofSeconds(10)).until(() -> log.accessLines().size() >= ids.size());
    assertThat(log.accessLines()).extracting(line -> line.getString("request_id"))
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  private JsonObject lineOf(HttpResponse<Buffer> response) {
    String id = response.getHeader("X-Request-Id");
    assertThat(id).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> log.request(id) != null);
    return log.request(id);
  }
}
