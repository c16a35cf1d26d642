package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** Browser games: preflight and actual requests, per-key allowed_origins, reloaded with the keys. */
class CorsTest extends ServiceTestBase {

  private static final String SITE = "https://play.studio.com";
  private static final String OTHER_SITE = "https://copycat.example";

  @Override
  protected JsonObject configure(JsonObject config) {
    devKey(config).put("allowed_origins", new JsonArray().add(SITE));
    return config;
  }

  private static JsonObject devKey(JsonObject config) {
    return config.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0);
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredWithTheAllowedMethodsAndHeaders() throws Exception {
    HttpResponse<Buffer> preflight = preflight("/v1/events/purchase", SITE);

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(SITE);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).isEqualTo("POST, OPTIONS");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers"))
        .isEqualTo("Authorization, Content-Type, Content-Encoding, X-Request-Id");
    assertThat(preflight.getHeader("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(preflight.getHeader("Vary")).isEqualTo("Origin");
    assertThat(preflight.body()).isNull();
    assertThat(preflight("/v1/batch", SITE).statusCode()).isEqualTo(204);
  }

  @Test
  void aPreflightFromAnOriginNoKeyAllowsIsRefused() throws Exception {
    HttpResponse<Buffer> preflight = preflight("/v1/events/install", OTHER_SITE);

    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).isNull();
    assertThat(preflight.getHeader("Vary")).isEqualTo("Origin");
    assertThat(preflight.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = preflight.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:origin-not-allowed");
    assertThat(problem.getString("detail")).isEqualTo("no API key is allowed from origin \"" + OTHER_SITE
        + "\": add it to the allowed_origins of the key the page uses");
  }

  @Test
  void anOptionsRequestWithoutOriginSaysWhatTheEndpointTakes() throws Exception {
    HttpResponse<Buffer> options = service.client.request(HttpMethod.OPTIONS, "/v1/events").send().await(60, SECONDS);

    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Allow")).isEqualTo("POST, OPTIONS");
    assertThat(options.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void anEventFromAnAllowedOriginIsStoredAndItsAnswerIsReadableByThePage() throws Exception {
    String eventId = newId();
    HttpResponse<Buffer> stored = fromOrigin(SITE, TestService.KEY).sendBuffer(install(eventId).toBuffer()).await(60, SECONDS);

    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(stored.getHeader("Access-Control-Allow-Origin")).isEqualTo(SITE);
    assertThat(stored.getHeader("Vary")).isEqualTo("Origin");
    assertThat(stored.getHeader("Access-Control-Expose-Headers")).startsWith("X-Request-Id, Retry-After");
    assertThat(service.sinkRecords()).extracting(record -> record.getString("event_id")).containsExactly(eventId);
  }

  @Test
  void errorsToAnAllowedOriginCarryTheCorsHeadersSoThePageCanReadThem() throws Exception {
    HttpResponse<Buffer> invalid = fromOrigin(SITE, TestService.KEY)
        .sendBuffer(install(newId()).put("platform", "toaster").toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> unauthorized = fromOrigin(SITE, "no-such-key").sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);

    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.getHeader("Access-Control-Allow-Origin")).isEqualTo(SITE);
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.getHeader("Access-Control-Allow-Origin")).isEqualTo(SITE);
    assertThat(unauthorized.getHeader("Access-Control-Expose-Headers")).contains("X-Request-Id");
  }

  @Test
  void anEventFromAnOriginTheKeyDoesNotAllowIsRefusedAndNotStored() throws Exception {
    HttpResponse<Buffer> refused = fromOrigin(OTHER_SITE, TestService.KEY)
        .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);

    assertForbiddenFrom(refused, OTHER_SITE);
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void aKeyWithoutAllowedOriginsIsRefusedFromAnOriginAnotherKeyAllows() throws Exception {
    JsonObject otherAppEvent = install(newId()).put("app_id", "com.other.game");

    HttpResponse<Buffer> refused = fromOrigin(SITE, TestService.OTHER_APP_KEY)
        .sendBuffer(otherAppEvent.toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> withoutOrigin = service.post("/v1/events/install", TestService.OTHER_APP_KEY)
        .sendBuffer(otherAppEvent.toBuffer()).await(60, SECONDS);

    assertForbiddenFrom(refused, SITE);
    assertThat(withoutOrigin.statusCode()).as("a game client or a server sends no Origin").isEqualTo(200);
  }

  @Test
  void anOriginNamingTheRequestsOwnHostIsCheckedLikeAnyOther() throws Exception {
    // Host is the client's to choose: a page on evil.example sending Host: evil.example proves nothing
    HttpResponse<Buffer> evil = fromOrigin("http://evil.example", TestService.KEY).virtualHost("evil.example")
        .sendBuffer(install(newId()).toBuffer()).await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> ownPort = fromOrigin("http://127.0.0.1:" + service.port, TestService.KEY)
        .sendBuffer(install(newId()).toBuffer()).await(10, TimeUnit.SECONDS);

    assertForbiddenFrom(evil, "http://evil.example");
    assertForbiddenFrom(ownPort, "http://127.0.0.1:" + service.port);
  }

  @Test
  void theDocsPageSendsFromItsOwnOriginWhenTheKeyListsIt() throws Exception {
    // the docs page's "Try it out": a browser sends Origin on a same-origin POST too
    String docs = "http://127.0.0.1:" + service.port;
    JsonObject reloaded = configure(TestService.config(service.dataDir, service.port));
    devKey(reloaded).getJsonArray("allowed_origins").add(docs);
    service.main.reloadCredentials(reloaded).await(10, TimeUnit.SECONDS);

    HttpResponse<Buffer> tryItOut = fromOrigin(docs, TestService.KEY).sendBuffer(install(newId()).toBuffer())
        .await(10, TimeUnit.SECONDS);

    assertThat(tryItOut.statusCode()).isEqualTo(200);
    assertThat(tryItOut.getHeader("Access-Control-Allow-Origin")).isEqualTo(docs);
  }

  @Test
  void theQuickStartDevKeyListsTheDocsOrigins() throws Exception {
    JsonObject quickStart = new JsonObject(Files.readString(Path.of("conf/config.json")));
    assertThat(devKey(quickStart).getJsonArray("allowed_origins").getList())
        .contains("http://127.0.0.1:8000", "http://localhost:8000");
  }

  @Test
  void anOriginAddedToAKeyIsAllowedAfterAReload() throws Exception {
    String newSite = "https://beta.studio.com";
    assertThat(preflight("/v1/events/install", newSite).statusCode()).isEqualTo(403);

    JsonObject reloaded = configure(TestService.config(service.dataDir, service.port));
    devKey(reloaded).getJsonArray("allowed_origins").add(newSite);
    service.main.reloadCredentials(reloaded).await(60, SECONDS);

    assertThat(preflight("/v1/events/install", newSite).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> stored = fromOrigin(newSite, TestService.KEY).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(stored.getHeader("Access-Control-Allow-Origin")).isEqualTo(newSite);
    assertThat(fromOrigin(SITE, TestService.KEY).sendBuffer(install(newId()).toBuffer()).await(60, SECONDS).statusCode())
        .isEqualTo(200);
  }

  private static void assertForbiddenFrom(HttpResponse<Buffer> refused, String origin) {
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(refused.getHeader("Access-Control-Expose-Headers")).isNull();
    assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = refused.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:origin-not-allowed");
    assertThat(problem.getString("detail"))
        .isEqualTo("this API key is not allowed from origin \"" + origin + "\": add it to the key's allowed_origins");
  }

  private HttpResponse<Buffer> preflight(String path, String origin) throws Exception {
    return service.client.request(HttpMethod.OPTIONS, path)
        .putHeader("Origin", origin)
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization,content-type")
        .send().await(60, SECONDS);
  }

  private HttpRequest<Buffer> fromOrigin(String origin, String key) {
    return service.post("/v1/events/install", key).putHeader("Origin", origin);
  }
}
