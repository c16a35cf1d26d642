package io.gameevents.http;

import io.gameevents.support.Jwts;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** Credentials over real HTTP: 401 with WWW-Authenticate, 403 for another app, nothing stored. */
class AuthHttpTest extends ServiceTestBase {

  static final String SECRET = "a-test-hs256-secret-that-is-long-enough-0123456789";

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("auth").put("jwt", new JsonObject().put("algorithm", "HS256").put("secret", SECRET)
        .put("audience", Jwts.AUDIENCE));
    return config;
  }

  @Test
  void missingCredentialIs401(VertxTestContext ctx) {
    expect401(service.post("/v1/events/install", null).sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void unknownKeyIs401(VertxTestContext ctx) {
    expect401(service.post("/v1/events/install", "not-a-key-we-know").sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void basicSchemeIs401(VertxTestContext ctx) {
    expect401(service.client.post("/v1/events/install").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", "Basic ZGV2OmRldi1zZWNyZXQ=").sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void validJwtIsAccepted(VertxTestContext ctx) {
    String token = Jwts.hs256(SECRET, claims().put("app_ids", new JsonArray().add(TestService.APP)));
    service.post("/v1/events/install", token).sendBuffer(install(newId()).toBuffer())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(service.sinkRecords()).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void expiredJwtIs401(VertxTestContext ctx) {
    String token = Jwts.hs256(SECRET, claims().put("exp", Instant.now().getEpochSecond() - 3600)
        .put("app_id", TestService.APP));
    expect401(service.post("/v1/events/install", token).sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void unsignedJwtIs401(VertxTestContext ctx) {
    String token = Jwts.unsigned(claims().put("app_id", TestService.APP));
    expect401(service.post("/v1/events/install", token).sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void jwtSignedWithAnotherSecretIs401(VertxTestContext ctx) {
    String token = Jwts.hs256("another-secret-that-is-also-long-enough-987654321", claims().put("app_id", TestService.APP));
    expect401(service.post("/v1/events/install", token).sendBuffer(install(newId()).toBuffer()), ctx);
  }

  @Test
  void credentialForAnotherAppIs403(VertxTestContext ctx) {
    service.post("/v1/events/install", TestService.OTHER_APP_KEY).sendBuffer(install(newId()).toBuffer())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(403);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(response.bodyAsJsonObject().getString("detail")).contains("com.game.test");
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void jwtForAnotherAppIs403(VertxTestContext ctx) {
    String token = Jwts.hs256(SECRET, claims().put("app_id", "com.other.game"));
    service.post("/v1/events/install", token).sendBuffer(install(newId()).toBuffer())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(403);
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", "game-server-1").put("aud", Jwts.AUDIENCE)
        .put("exp", Instant.now().getEpochSecond() + 3600);
  }

  private void expect401(Future<HttpResponse<Buffer>> request, VertxTestContext ctx) {
    request.onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }
}
