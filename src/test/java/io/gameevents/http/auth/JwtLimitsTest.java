package io.gameevents.http.auth;

import io.gameevents.config.AppConfig;
import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.support.Jwts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static io.gameevents.http.auth.Outcomes.expectInvalidToken;
import static io.gameevents.http.auth.Outcomes.expectPrincipal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audience is required, a token's lifetime is capped, and a key id binds the apps its tokens may grant. */
@ExtendWith(VertxExtension.class)
class JwtLimitsTest {

  private static final String SECRET = "an-hs256-secret-of-at-least-32-characters";
  private static final long NOW = 1_800_000_000L;
  private static final long LEEWAY = 30;
  private static final long MAX_LIFETIME = 3600;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  private static AuthConfig.Jwt jwt(AuthConfig.KeyBinding binding) {
    return new AuthConfig.Jwt("HS256", SECRET, null, null, Jwts.AUDIENCE, LEEWAY, null, MAX_LIFETIME, binding);
  }

  private static Future<Principal> authenticate(Vertx vertx, AuthConfig.Jwt jwt, String token) {
    return BearerAuthenticator.create(vertx, new AuthConfig(List.of(), jwt), CLOCK)
        .compose(a -> a.authenticate("Bearer " + token));
  }

  private static Future<Principal> unbound(Vertx vertx, JsonObject claims) {
    return authenticate(vertx, jwt(AuthConfig.KeyBinding.NONE), Jwts.hs256(SECRET, claims));
  }

  private static JsonObject claims(long iat, double exp) {
    return new JsonObject().put("sub", "s").put("aud", Jwts.AUDIENCE).put("app_id", "app-1").put("iat", iat)
        .put("exp", exp);
  }

  private static String kidToken(String kid, JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", "HS256");
    if (kid != null) {
      header.put("kid", kid);
    }
    return Jwts.sign(header, claims, Jwts.hmacKey(SECRET));
  }

  @Test
  void aJwtConfigWithoutAudienceFailsStartUpNamingTheKey() {
    JsonObject config = new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("secret", SECRET)));
    assertThatThrownBy(() -> AppConfig.from(config)).isInstanceOf(ConfigException.class)
        .hasMessage("config key 'auth.jwt.audience' is required: the aud claim your token issuer puts in tokens for"
            + " this service (e.g. \"game-events\"), so a token minted for another service is refused");
    assertThat(AppConfig.from(config.copy().put("auth", config.getJsonObject("auth").copy().put("jwt",
        config.getJsonObject("auth").getJsonObject("jwt").copy().put("audience", "game-events")))).auth().jwt()
        .audience()).isEqualTo("game-events");
  }

  @Test
  void theVerifierRefusesToRunWithoutAnAudience(Vertx vertx, VertxTestContext testContext) {
    AuthConfig.Jwt noAudience = new AuthConfig.Jwt("HS256", SECRET, null, null, null, LEEWAY);
    Authenticator.create(vertx, new AuthConfig(List.of(), noAudience)).onComplete(testContext.failing(e ->
        testContext.verify(() -> {
          assertThat(e).isInstanceOf(ConfigException.class).hasMessage("config key 'auth.jwt.audience' is required");
          testContext.completeNow();
        })));
  }

  @Test
  void aTokenWithoutAudienceIsRefused(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims(NOW, NOW + 60);
    claims.remove("aud");
    expectInvalidToken(testContext, unbound(vertx, claims), "token audience is not accepted");
  }

  @Test
  void aLifetimeOfExactlyTheMaximumIsAccepted(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, unbound(vertx, claims(NOW - 10, NOW - 10 + MAX_LIFETIME)),
        principal -> assertThat(principal.appIds()).containsExactly("app-1"));
  }

  @Test
  void expMinusIatOverTheMaximumIsRefused(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, unbound(vertx, claims(NOW - 10, NOW - 10 + MAX_LIFETIME + 1)),
        "token lifetime is longer than this server accepts");
  }

  @Test
  void withoutIatExpMinusNowIsCapped(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims(0, NOW + MAX_LIFETIME + LEEWAY + 1);
    claims.remove("iat");
    expectInvalidToken(testContext, unbound(vertx, claims), "token lifetime is longer than this server accepts");
  }

  @Test
  void anExpOf1e300IsRefusedWithOrWithoutIat(Vertx vertx, VertxTestContext testContext) {
    JsonObject noIat = claims(0, 1e300);
    noIat.remove("iat");
    // iat close to exp would pass exp - iat: exp - now still counts
    JsonObject futureIat = claims(0, 1e300).put("iat", 1e300);
    Future<Principal> first = unbound(vertx, noIat);
    Future<Principal> second = unbound(vertx, futureIat);
    Future.join(first, second).onComplete(done -> testContext.verify(() -> {
      for (Future<Principal> result : List.of(first, second)) {
        assertThat(result.failed()).isTrue();
        assertThat(result.cause().getMessage()).isEqualTo("token lifetime is longer than this server accepts");
      }
      testContext.completeNow();
    }));
  }

  @Test
  void theLifetimeCapIsConfiguredAndRangeChecked() {
    JsonObject jwt = new JsonObject().put("secret", SECRET).put("audience", "game-events");
    assertThat(AppConfig.from(new JsonObject().put("auth", new JsonObject().put("jwt", jwt.copy()))).auth().jwt()
        .maxLifetimeSeconds()).isEqualTo(86_400);
    assertThat(AppConfig.from(new JsonObject().put("auth", new JsonObject().put("jwt", jwt.copy()
        .put("max_lifetime_seconds", 600)))).auth().jwt().maxLifetimeSeconds()).isEqualTo(600);
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("auth", new JsonObject().put("jwt", jwt.copy()
        .put("max_lifetime_seconds", 0))))).hasMessage(
        "config key 'auth.jwt.max_lifetime_seconds' must be between 60 and 31536000 (was 0)");
  }

  @Test
  void aKeyBoundToAppsGrantsThoseOnly(Vertx vertx, VertxTestContext testContext) {
    AuthConfig.Jwt bound = jwt(new AuthConfig.KeyBinding("studio-a", Set.of("app-1")));
    Future<Principal> own = authenticate(vertx, bound, kidToken("studio-a", claims(NOW, NOW + 60)));
    Future<Principal> other = authenticate(vertx, bound, kidToken("studio-a", claims(NOW, NOW + 60)
        .put("app_ids", new JsonArray().add("app-2"))));
    Future<Principal> noKid = authenticate(vertx, bound, kidToken(null, claims(NOW, NOW + 60)));
    Future<Principal> otherKid = authenticate(vertx, bound, kidToken("studio-b", claims(NOW, NOW + 60)));
    Future.join(own, other, noKid, otherKid).onComplete(done -> testContext.verify(() -> {
      assertThat(own.result().appIds()).containsExactly("app-1");
      assertThat(other.cause()).isInstanceOf(AuthenticationException.class)
          .hasMessage("token grants an app its signing key may not grant");
      assertThat(noKid.cause()).hasMessage("token key id (kid) is not accepted");
      assertThat(otherKid.cause()).hasMessage("token key id (kid) is not accepted");
      testContext.completeNow();
    }));
  }

  @Test
  void theBindingIsReadFromTheConfig() {
    JsonObject jwt = new JsonObject().put("secret", SECRET).put("audience", "game-events").put("kid", "studio-a")
        .put("app_ids", new JsonArray().add("com.studio.a"));
    AuthConfig.Jwt config = AppConfig.from(new JsonObject().put("auth", new JsonObject().put("jwt", jwt))).auth().jwt();
    assertThat(config.binding()).isEqualTo(new AuthConfig.KeyBinding("studio-a", Set.of("com.studio.a")));
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("auth", new JsonObject().put("jwt", jwt.copy()
        .put("app_ids", new JsonArray()))))).hasMessage(
        "config key 'auth.jwt.app_ids' must list the app_ids tokens of this key may grant (or \"*\")");
  }
}
