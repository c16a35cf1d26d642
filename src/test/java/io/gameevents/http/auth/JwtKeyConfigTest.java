package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.support.Jwts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.KeyPair;
import java.util.List;

import static io.gameevents.http.auth.ApiKeyAuthenticationTest.expectConfigError;
import static io.gameevents.http.auth.Outcomes.expectPrincipal;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class JwtKeyConfigTest {

  private static Future<Authenticator> create(Vertx vertx, String algorithm, String pem) {
    return Authenticator.create(vertx, new AuthConfig(List.of(), new AuthConfig.Jwt(algorithm, null, pem, null, Jwts.AUDIENCE, 30)));
  }

  @Test
  void garbagePemFailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext,
        create(vertx, "RS256", "-----BEGIN PUBLIC KEY-----\nthis is not a key!\n-----END PUBLIC KEY-----\n"),
        "auth.jwt.public_key_pem: the PEM body is not valid base64");
  }

  @Test
  void base64ThatIsNoKeyFailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext,
        create(vertx, "RS256", "-----BEGIN PUBLIC KEY-----\nAAECAwQFBgcICQ==\n-----END PUBLIC KEY-----\n"),
        "auth.jwt.public_key_pem: not an RSA public key, as RS256 requires");
  }

  @Test
  void pemWithoutPublicKeyBlockFailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext, create(vertx, "RS256", "BEGIN PUBLIC KEY but no block"),
        "auth.jwt.public_key_pem: no '-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----' block");
  }

  @Test
  void ecKeyForRs256FailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext, create(vertx, "RS256", Jwts.pem(Jwts.ecKeyPair().getPublic())),
        "auth.jwt.public_key_pem: not an RSA public key, as RS256 requires");
  }

  @Test
  void rsaKeyForEs256FailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext, create(vertx, "ES256", Jwts.pem(Jwts.rsaKeyPair().getPublic())),
        "auth.jwt.public_key_pem: not an EC public key, as ES256 requires");
  }

  @Test
  void es256KeyOnAnotherCurveFailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext, create(vertx, "ES256", Jwts.pem(Jwts.ecKeyPair("secp384r1").getPublic())),
        "auth.jwt.public_key_pem: ES256 needs an EC key on curve P-256 (secp256r1)");
  }

  @Test
  void shortRsaKeyFailsCreate(Vertx vertx, VertxTestContext testContext) {
    expectConfigError(testContext, create(vertx, "RS256", Jwts.pem(Jwts.rsaKeyPair(1024).getPublic())),
        "auth.jwt.public_key_pem: RS256 needs an RSA key of at least 2048 bits");
  }

  @Test
  void pemFlattenedIntoOneLineByAnEnvironmentVariableStillWorks(Vertx vertx, VertxTestContext testContext) {
    KeyPair rsa = Jwts.rsaKeyPair();
    String escaped = Jwts.pem(rsa.getPublic()).replace("\n", "\\n"); // literal backslash-n, as shells often pass it
    String token = Jwts.rs256(rsa.getPrivate(), Jwts.claims("app-1"));
    expectPrincipal(testContext, create(vertx, "RS256", escaped).compose(a -> a.authenticate("Bearer " + token)),
        principal -> assertThat(principal.appIds()).containsExactly("app-1"));
  }

  @Test
  void plainApiKeyShapedLikeAJwtFailsCreateWhenJwtIsConfigured(Vertx vertx, VertxTestContext testContext) {
    AuthConfig config = new AuthConfig(List.of(new AuthConfig.ApiKey("dotted", "part.part.part", null, List.of("a"))),
        new AuthConfig.Jwt("HS256", "an-hs256-secret-of-at-least-32-characters", null, null, Jwts.AUDIENCE, 30));
    Authenticator.create(vertx, config).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("auth.api_keys[0].key: looks like a JWT");
      testContext.completeNow();
    })));
  }
}
