package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import ch.qos.logback.classic.Level;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.Jwts;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of credential, good and bad, in every place a client might put one (header, request id, path,
 * query, body of a refused request), with every logger of the service at DEBUG: not one secret in the log.
 */
class LogSecretsTest extends ServiceTestBase {

  private static final String JWT_SECRET = "a-log-test-hs256-secret-that-is-long-enough-0123456789";
  private static final String UNKNOWN_KEY = "unknown-key-4f1c9e2b7a";

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("auth").put("jwt", new JsonObject().put("algorithm", "HS256").put("secret", JWT_SECRET)
        .put("audience", Jwts.AUDIENCE));
    return config;
  }

  @Test
  void noCredentialEverReachesTheLog() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("sub", "game-server-1").put("aud", Jwts.AUDIENCE).put("exp", now + 3600);
    Map<String, String> jwts = new LinkedHashMap<>();
    jwts.put("valid", Jwts.hs256(JWT_SECRET, claims.copy().put("app_ids", new JsonArray().add(TestService.APP))));
    jwts.put("expired", Jwts.hs256(JWT_SECRET, claims.copy().put("exp", now - 3600).put("app_id", TestService.APP)));
    jwts.put("alg none", Jwts.unsigned(claims.copy().put("app_id", TestService.APP)));
    jwts.put("other app", Jwts.hs256(JWT_SECRET, claims.copy().put("app_id", "com.other.game")));
    jwts.put("other secret", Jwts.hs256("another-secret-that-is-also-long-enough-987654321",
        claims.copy().put("app_id", TestService.APP)));
    String basic = Base64.getEncoder().encodeToString(("dev:" + TestService.KEY).getBytes(StandardCharsets.UTF_8));

    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    try (CapturedLog log = CapturedLog.open(Level.DEBUG, "ROOT", "io.vertx", "io.netty", CapturedLog.ACCESS)) {
      for (String key : List.of(TestService.KEY, TestService.OTHER_APP_KEY, UNKNOWN_KEY)) {
        responses.add(send(service.post("/v1/events/install", key), install(newId())));
      }
      for (String jwt : jwts.values()) {
        responses.add(send(service.post("/v1/events/install", jwt), install(newId())));
        responses.add(send(service.post("/v1/batch", jwt), new JsonObject().put("events",
            new JsonArray().add(install(newId())))));
      }
      responses.add(send(service.client.post("/v1/events/install").putHeader("Content-Type", "application/json")
          .putHeader("Authorization", "Basic " + basic), install(newId())));
      // the key in the places a confused client puts it
      responses.add(send(service.post("/v1/events/install").putHeader("X-Request-Id", TestService.KEY),
          install(newId())));
      responses.add(send(service.post("/v1/events/" + TestService.KEY + "?api_key=" + TestService.KEY), install(newId())));
      responses.add(send(service.post("/v1/events/install", UNKNOWN_KEY), install(newId()).put("api_key", UNKNOWN_KEY)));
      // refused bodies that carry the key: in a field, as a field name, as the app, in broken JSON
      responses.add(send(service.post("/v1/events/install"), install(newId()).put("properties",
          new JsonObject().put("api_key", TestService.KEY)).put("amount", TestService.KEY)));
      responses.add(send(service.post("/v1/events/install"), install(newId()).put(TestService.KEY, 1)));
      responses.add(send(service.post("/v1/events/install"), install(newId()).put("app_id", TestService.KEY)));
      responses.add(service.post("/v1/events/install")
          .sendBuffer(Buffer.buffer("{\"token\": \"" + TestService.KEY + "\", ")).await(60, SECONDS));
      responses.add(send(service.post("/v1/batch"), new JsonObject().put("events", new JsonArray()
          .add(install(newId()).put("app_id", TestService.KEY)).add(install(newId()).put("player_id", 7)
              .put("note", TestService.KEY)))));

      assertThat(responses).extracting(HttpResponse::statusCode).contains(200, 400, 401, 403);
      // not vacuous: every request has its line
      await().atMost(Duration.ofSeconds(10)).until(() -> log.accessLines().size() == responses.size());
      assertThat(log.accessLines()).extracting(line -> line.getString("request_id"))
          .containsExactlyInAnyOrderElementsOf(responses.stream().map(r -> r.getHeader("X-Request-Id")).toList());

      String text = log.text();
      List<String> secrets = new ArrayList<>(List.of(TestService.KEY, TestService.OTHER_APP_KEY, UNKNOWN_KEY,
          JWT_SECRET, basic, "Bearer ", "Authorization:")); // a 401's cause may say "scheme must be Bearer"
      for (String jwt : jwts.values()) {
        secrets.add(jwt);
        String[] parts = jwt.split("\\.", -1);
        secrets.add(parts[0] + "." + parts[1]); // the signed part: all but the signature
        if (!parts[2].isEmpty()) {
          secrets.add(parts[2]);
        }
      }
      for (String secret : secrets) {
        assertThat(text).as("the log holds %s", secret).doesNotContain(secret);
      }
    }
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) throws Exception {
    return request.sendBuffer(body.toBuffer()).await(60, SECONDS);
  }
}
