package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.RateLimitConfig;
import io.gameevents.support.Jwts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static io.gameevents.http.auth.Outcomes.expectInvalidToken;
import static io.gameevents.http.auth.Outcomes.expectPrincipal;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class JwtAuthenticationTest {

  private static final String SECRET = "an-hs256-secret-of-at-least-32-characters";
  private static final long NOW = 1_800_000_000L;
  private static final long LEEWAY = 30;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final String API_KEY = "static-key-0123456789";
  private static final String AUD = Jwts.AUDIENCE;

  private static final KeyPair RSA = Jwts.rsaKeyPair();
  private static final KeyPair EC = Jwts.ecKeyPair();

  private static AuthConfig.Jwt hs256(String issuer, String audience) {
    return new AuthConfig.Jwt("HS256", SECRET, null, issuer, audience, LEEWAY);
  }

  private static Future<Principal> authenticate(Vertx vertx, AuthConfig.Jwt jwt, String token) {
    AuthConfig config = new AuthConfig(List.of(new AuthConfig.ApiKey("static", API_KEY, null, List.of("app-9"))), jwt);
    return BearerAuthenticator.create(vertx, config, CLOCK).compose(a -> a.authenticate("Bearer " + token));
  }

  private static Future<Principal> hs256Token(Vertx vertx, JsonObject claims) {
    return authenticate(vertx, hs256(null, AUD), Jwts.hs256(SECRET, claims));
  }

  /** sub=player-sync, exp an hour after the fixed clock, plus the given app claim(s). */
  private static JsonObject claims() {
    return new JsonObject().put("sub", "player-sync").put("aud", AUD).put("iat", NOW).put("exp", NOW + 3600);
  }

  @Test
  void hs256WithAppIdsArray(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_ids", new JsonArray().add("app-1").add("app-2"));
    expectPrincipal(testContext, hs256Token(vertx, claims), principal -> {
      assertThat(principal).isEqualTo(new Principal("jwt:player-sync", Set.of("app-1", "app-2")));
      assertThat(principal.mayWrite("app-2")).isTrue();
      assertThat(principal.mayWrite("app-3")).isFalse();
    });
  }

  @Test
  void hs256WithAppIdString(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, hs256Token(vertx, claims().put("app_id", "app-1")),
        principal -> assertThat(principal).isEqualTo(new Principal("jwt:player-sync", Set.of("app-1"))));
  }

  @Test
  void appIdsAndAppIdAreCombined(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_ids", new JsonArray().add("app-1")).put("app_id", "app-2");
    expectPrincipal(testContext, hs256Token(vertx, claims),
        principal -> assertThat(principal.appIds()).containsExactlyInAnyOrder("app-1", "app-2"));
  }

  @Test
  void tokensCannotGrantEveryApp(Vertx vertx, VertxTestContext testContext) {
    // "*" is for API keys an operator configures; a token's app claims may come from a studio
    expectInvalidToken(testContext, hs256Token(vertx, claims().put("app_ids", new JsonArray().add("app-1").add("*"))),
        "token may not grant every app (wildcard app_id)");
  }

  @Test
  void tokenWithoutSubIsJustJwt(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1");
    claims.remove("sub");
    expectPrincipal(testContext, hs256Token(vertx, claims),
        principal -> assertThat(principal.credentialId()).isEqualTo("jwt"));
  }

  @Test
  void rs256WithGeneratedKey(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.rs256(RSA.getPrivate(), claims().put("app_id", "app-1"));
    expectPrincipal(testContext, authenticate(vertx, rs256(), token),
        principal -> assertThat(principal).isEqualTo(new Principal("jwt:player-sync", Set.of("app-1"))));
  }

  @Test
  void rs256TokenWithKeyIdHeader(Vertx vertx, VertxTestContext testContext) {
    // identity providers always send kid; the single configured key has no id and must still match
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", "2024-key");
    String token = Jwts.sign(header, claims().put("app_id", "app-1"), RSA.getPrivate());
    expectPrincipal(testContext, authenticate(vertx, rs256(), token),
        principal -> assertThat(principal.credentialId()).isEqualTo("jwt:player-sync"));
  }

  @Test
  void es256WithGeneratedKey(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.es256(EC.getPrivate(), claims().put("app_id", "app-7"));
    expectPrincipal(testContext, authenticate(vertx, es256(), token),
        principal -> assertThat(principal).isEqualTo(new Principal("jwt:player-sync", Set.of("app-7"))));
  }

  @Test
  void algNoneIsRejectedAlthoughKeysAreConfigured(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), Jwts.unsigned(claims().put("app_id", "a"))),
        "unsigned tokens (alg none) are not accepted");
  }

  @Test
  void algNoneInOtherCaseWithASignatureIsRejected(Vertx vertx, VertxTestContext testContext) {
    JsonObject header = new JsonObject().put("alg", "HS256");
    String signed = Jwts.sign(header, claims().put("app_id", "a"), Jwts.hmacKey(SECRET));
    String noneHeader = base64url("{\"alg\":\"None\"}");
    String forged = noneHeader + signed.substring(signed.indexOf('.'));
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), forged),
        "unsigned tokens (alg none) are not accepted");
  }

  @Test
  void hs256SignedWithAnotherSecret(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.hs256("another-secret-that-is-also-32-chars-long", claims().put("app_id", "app-1"));
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), token), "token signature is invalid");
  }

  @Test
  void rs256SignedWithAnotherKey(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.rs256(Jwts.rsaKeyPair().getPrivate(), claims().put("app_id", "app-1"));
    expectInvalidToken(testContext, authenticate(vertx, rs256(), token), "token signature is invalid");
  }

  @Test
  void es256SignedWithAnotherKey(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.es256(Jwts.ecKeyPair().getPrivate(), claims().put("app_id", "app-1"));
    expectInvalidToken(testContext, authenticate(vertx, es256(), token), "token signature is invalid");
  }

  @Test
  void claimsChangedAfterSigning(Vertx vertx, VertxTestContext testContext) {
    String token = Jwts.hs256(SECRET, claims().put("app_id", "app-1"));
    String[] parts = token.split("\\.");
    String widened = parts[0] + "." + base64url(claims().put("app_id", "*").encode()) + "." + parts[2];
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), widened), "token signature is invalid");
  }

  @Test
  void hmacSignedWithThePublicKeyIsNotAcceptedForRs256(Vertx vertx, VertxTestContext testContext) {
    // the classic algorithm-confusion attack: the public key is no secret
    String pem = Jwts.pem(RSA.getPublic());
    String token = Jwts.sign(new JsonObject().put("alg", "HS256"), claims().put("app_id", "app-1"), Jwts.hmacKey(pem));
    expectInvalidToken(testContext, authenticate(vertx, rs256(), token),
        "token algorithm is not accepted, expected RS256");
  }

  @Test
  void criticalHeaderExtensionsAreRejected(Vertx vertx, VertxTestContext testContext) {
    JsonObject header = new JsonObject().put("alg", "HS256").put("crit", new JsonArray().add("exp"));
    String token = Jwts.sign(header, claims().put("app_id", "app-1"), Jwts.hmacKey(SECRET));
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), token),
        "token has critical header parameters this server does not understand");
  }

  @Test
  void expiredBeyondLeeway(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("exp", NOW - LEEWAY);
    expectInvalidToken(testContext, hs256Token(vertx, claims), "token expired");
  }

  @Test
  void expiredWithinLeewayIsStillAccepted(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("exp", NOW - LEEWAY + 1);
    expectPrincipal(testContext, hs256Token(vertx, claims),
        principal -> assertThat(principal.credentialId()).isEqualTo("jwt:player-sync"));
  }

  @Test
  void tokenWithoutExpIsRejected(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1");
    claims.remove("exp");
    expectInvalidToken(testContext, hs256Token(vertx, claims), "token has no exp claim");
  }

  @Test
  void nonNumericExpIsRejected(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("exp", "tomorrow");
    expectInvalidToken(testContext, hs256Token(vertx, claims), "token exp claim is not a number");
  }

  @Test
  void nonNumericIssuedAtIsRejected(Vertx vertx, VertxTestContext testContext) {
    // vertx-auth-jwt would throw a ClassCastException on it instead of failing
    JsonObject claims = claims().put("app_id", "app-1").put("iat", "yesterday");
    expectInvalidToken(testContext, hs256Token(vertx, claims), "token iat claim is not a number");
  }

  @Test
  void notBeforeInTheFutureBeyondLeeway(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("nbf", NOW + LEEWAY + 1);
    expectInvalidToken(testContext, hs256Token(vertx, claims), "token is not valid yet");
  }

  @Test
  void notBeforeWithinLeewayIsAccepted(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("nbf", NOW + LEEWAY);
    expectPrincipal(testContext, hs256Token(vertx, claims),
        principal -> assertThat(principal.appIds()).containsExactly("app-1"));
  }

  @Test
  void matchingIssuerAndAudienceAreAccepted(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("iss", "https://id.example.com")
        .put("aud", new JsonArray().add("other-service").add("game-events"));
    expectPrincipal(testContext,
        authenticate(vertx, hs256("https://id.example.com", "game-events"), Jwts.hs256(SECRET, claims)),
        principal -> assertThat(principal.credentialId()).isEqualTo("jwt:player-sync"));
  }

  @Test
  void audienceAsPlainStringIsAccepted(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("aud", "game-events");
    expectPrincipal(testContext, authenticate(vertx, hs256(null, "game-events"), Jwts.hs256(SECRET, claims)),
        principal -> assertThat(principal.credentialId()).isEqualTo("jwt:player-sync"));
  }

  @Test
  void wrongIssuer(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("iss", "https://evil.example.com");
    expectInvalidToken(testContext,
        authenticate(vertx, hs256("https://id.example.com", AUD), Jwts.hs256(SECRET, claims)),
        "token issuer is not accepted");
  }

  @Test
  void missingIssuerWhenOneIsConfigured(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext,
        authenticate(vertx, hs256("https://id.example.com", AUD), Jwts.hs256(SECRET, claims().put("app_id", "a"))),
        "token issuer is not accepted");
  }

  @Test
  void wrongAudience(Vertx vertx, VertxTestContext testContext) {
    JsonObject claims = claims().put("app_id", "app-1").put("aud", new JsonArray().add("billing"));
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, "game-events"), Jwts.hs256(SECRET, claims)),
        "token audience is not accepted");
  }

  @Test
  void tokenGrantingNoAppIsRejected(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, hs256Token(vertx, claims()), "token grants no app_id");
  }

  @Test
  void emptyAppIdsArrayGrantsNothing(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, hs256Token(vertx, claims().put("app_ids", new JsonArray())),
        "token grants no app_id");
  }

  @Test
  void appIdsThatAreNotStringsAreRejected(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, hs256Token(vertx, claims().put("app_ids", new JsonArray().add("a").add(7))),
        "token app_ids claim must be an array of strings");
  }

  @Test
  void jwtShapedGarbageIsMalformed(Vertx vertx, VertxTestContext testContext) {
    expectInvalidToken(testContext, authenticate(vertx, hs256(null, AUD), "aGVsbG8.d29ybGQ.c2ln"), "malformed token");
  }

  @Test
  void apiKeysStillWorkNextToJwt(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, authenticate(vertx, hs256(null, AUD), API_KEY),
        principal -> assertThat(principal).isEqualTo(new Principal("static", Set.of("app-9"))));
  }

  @Test
  void resultArrivesOnCallersContext(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    String token = Jwts.rs256(RSA.getPrivate(), claims().put("app_id", "app-1"));
    AuthConfig config = new AuthConfig(List.of(), rs256());
    BearerAuthenticator.create(vertx, config, CLOCK).onComplete(testContext.succeeding(authenticator ->
        context.runOnContext(v -> authenticator.authenticate("Bearer " + token).onComplete(result ->
            testContext.verify(() -> {
              assertThat(result.succeeded()).isTrue();
              assertThat(Vertx.currentContext()).isSameAs(context);
              testContext.completeNow();
            })))));
  }

  @Test
  void realClockAcceptsAFreshTokenFromTheHelper(Vertx vertx, VertxTestContext testContext) {
    // the lead's HTTP tests use Jwts.claims(...) with the production clock
    AuthConfig config = new AuthConfig(List.of(), hs256(null, AUD));
    expectPrincipal(testContext,
        Authenticator.create(vertx, config).compose(a -> a.authenticate("Bearer " + Jwts.hs256(SECRET, Jwts.claims("app-1")))),
        principal -> assertThat(principal).isEqualTo(new Principal("jwt:test-client", Set.of("app-1"))));
  }

  @Test
  void eachSubjectHasItsOwnBucketAndTokensWithoutOneShareABucketPerSetOfApps(Vertx vertx, VertxTestContext ctx) {
    RateLimitConfig limit = new RateLimitConfig(2, 4);
    AuthConfig config = new AuthConfig(List.of(new AuthConfig.ApiKey("static", API_KEY, null, List.of("app-9"),
        new RateLimitConfig(9, 9))), new AuthConfig.Jwt("HS256", SECRET, null, null, AUD, LEEWAY, limit));
    JsonObject noSubject = claims().put("app_ids", new JsonArray().add("app-2").add("app-1"));
    noSubject.remove("sub");
    List<String> tokens = List.of(
        Jwts.hs256(SECRET, claims().put("app_id", "app-1")),
        Jwts.hs256(SECRET, claims().put("app_id", "app-2")), // same subject, other app: same bucket
        Jwts.hs256(SECRET, claims().put("sub", "other").put("app_id", "app-1")),
        Jwts.hs256(SECRET, noSubject),
        Jwts.hs256(SECRET, noSubject.copy().put("app_ids", new JsonArray().add("app-1").add("app-2"))),
        API_KEY,
        API_KEY);
    BearerAuthenticator.create(vertx, config, CLOCK)
        .compose(authenticator -> Future.all(tokens.stream()
            .map(token -> authenticator.authenticate("Bearer " + token)).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<Principal> principals = all.list();
          assertThat(principals).extracting(Principal::credentialId)
              .containsExactly("jwt:player-sync", "jwt:player-sync", "jwt:other", "jwt", "jwt", "static", "static");
          assertThat(principals.get(0).bucket().limit()).isEqualTo(limit);
          assertThat(principals.get(1).bucket()).isSameAs(principals.get(0).bucket());
          assertThat(principals.get(2).bucket()).isNotSameAs(principals.get(0).bucket());
          assertThat(principals.get(4).bucket()).isSameAs(principals.get(3).bucket())
              .isNotIn(principals.get(0).bucket(), principals.get(2).bucket());
          assertThat(principals.get(5).bucket().limit()).isEqualTo(new RateLimitConfig(9, 9));
          assertThat(principals.get(6).bucket()).isSameAs(principals.get(5).bucket());
          ctx.completeNow();
        })));
  }

  private static AuthConfig.Jwt rs256() {
    return new AuthConfig.Jwt("RS256", null, Jwts.pem(RSA.getPublic()), null, AUD, LEEWAY);
  }

  private static AuthConfig.Jwt es256() {
    return new AuthConfig.Jwt("ES256", null, Jwts.pem(EC.getPublic()), null, AUD, LEEWAY);
  }

  private static String base64url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
