package io.gameevents.http.auth;

import io.gameevents.config.AuthConfig;
import io.gameevents.config.ConfigException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static io.gameevents.http.auth.Outcomes.expectInvalidToken;
import static io.gameevents.http.auth.Outcomes.expectPrincipal;
import static io.gameevents.http.auth.Outcomes.expectRejected;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ApiKeyAuthenticationTest {

  private static final String PLAIN_KEY = "dev-key-0123456789";
  private static final String HASHED_KEY = "prod-key-abcdefghij";
  private static final String WILDCARD_KEY = "ops-key-9876543210";

  private static final AuthConfig CONFIG = new AuthConfig(List.of(
      new AuthConfig.ApiKey("mobile", PLAIN_KEY, null, List.of("app-1")),
      new AuthConfig.ApiKey("backend", null, sha256Hex(HASHED_KEY), List.of("app-2", "app-3")),
      new AuthConfig.ApiKey("ops", WILDCARD_KEY, null, List.of("*"))), null);

  private Future<Principal> authenticate(Vertx vertx, String header) {
    return Authenticator.create(vertx, CONFIG).compose(authenticator -> authenticator.authenticate(header));
  }

  @Test
  void plainTextKeyGrantsItsApps(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, authenticate(vertx, "Bearer " + PLAIN_KEY), principal -> {
      assertThat(principal).isEqualTo(new Principal("mobile", Set.of("app-1")));
      assertThat(principal.mayWrite("app-1")).isTrue();
      assertThat(principal.mayWrite("app-2")).isFalse();
    });
  }

  @Test
  void sha256ConfiguredKeyGrantsItsApps(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, authenticate(vertx, "Bearer " + HASHED_KEY), principal -> {
      assertThat(principal).isEqualTo(new Principal("backend", Set.of("app-2", "app-3")));
      assertThat(principal.mayWrite("app-3")).isTrue();
      assertThat(principal.mayWrite("app-1")).isFalse();
    });
  }

  @Test
  void upperCaseSha256InConfigMatchesToo(Vertx vertx, VertxTestContext testContext) {
    // AuthConfig lower-cases the hex; a record built by hand may not have been
    AuthConfig config = new AuthConfig(List.of(
        new AuthConfig.ApiKey("upper", null, sha256Hex(HASHED_KEY).toUpperCase(), List.of("app-2"))), null);
    expectPrincipal(testContext,
        Authenticator.create(vertx, config).compose(a -> a.authenticate("Bearer " + HASHED_KEY)),
        principal -> assertThat(principal.credentialId()).isEqualTo("upper"));
  }

  @Test
  void wildcardKeyMayWriteAnyApp(Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, authenticate(vertx, "Bearer " + WILDCARD_KEY), principal -> {
      assertThat(principal.credentialId()).isEqualTo("ops");
      assertThat(principal.mayWrite("app-1")).isTrue();
      assertThat(principal.mayWrite("some-new-game")).isTrue();
      assertThat(principal.mayWrite(null)).isFalse();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"bearer ", "BEARER ", "Bearer    ", "  Bearer "})
  void schemeIsCaseInsensitiveAndSpacesAreTolerated(String prefix, Vertx vertx, VertxTestContext testContext) {
    expectPrincipal(testContext, authenticate(vertx, prefix + PLAIN_KEY),
        principal -> assertThat(principal.credentialId()).isEqualTo("mobile"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-configured-key", "dev-key-012345678", "dev-key-01234567890", "DEV-KEY-0123456789",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"})
  void unknownKeyIsInvalidToken(String token, Vertx vertx, VertxTestContext testContext) {
    // includes a prefix, an extension and another case of a real key, and a JWT while no jwt is configured
    expectInvalidToken(testContext, authenticate(vertx, "Bearer " + token), "unknown API key");
  }

  @Test
  void missingHeaderCarriesNoErrorCode(Vertx vertx, VertxTestContext testContext) {
    authenticate(vertx, null).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      AuthenticationException rejection = (AuthenticationException) failure;
      assertThat(rejection).hasMessage("missing bearer token");
      assertThat(rejection.bearerError()).isNull();
      assertThat(rejection.wwwAuthenticate()).isEqualTo("Bearer");
      testContext.completeNow();
    })));
  }

  @Test
  void blankHeaderIsMissingToken(Vertx vertx, VertxTestContext testContext) {
    expectRejected(testContext, authenticate(vertx, "   "), null, "missing bearer token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic ZGV2OmtleQ==", "Token dev-key-0123456789", "dev-key-0123456789"})
  void otherSchemesAreNotBearerCredentials(String header, Vertx vertx, VertxTestContext testContext) {
    expectRejected(testContext, authenticate(vertx, header), null, "authorization scheme must be Bearer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer dev-key-0123456789 dev-key-0123456789",
      "Bearer dev key", "Bearer dev-key-0123456789,", "Bearer =abc", "Bearer abc=def", "Bearer ключ-0123456789"})
  void malformedBearerHeaderIsInvalidRequest(String header, Vertx vertx, VertxTestContext testContext) {
    expectRejected(testContext, authenticate(vertx, header), AuthenticationException.INVALID_REQUEST,
        BearerHeader.MALFORMED);
  }

  @Test
  void invalidTokenHeaderValueFollowsRfc6750(Vertx vertx, VertxTestContext testContext) {
    authenticate(vertx, "Bearer wrong-key-123").onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(((AuthenticationException) failure).wwwAuthenticate())
          .isEqualTo("Bearer error=\"invalid_token\", error_description=\"unknown API key\"");
      testContext.completeNow();
    })));
  }

  @Test
  void resultArrivesOnCallersContext(Vertx vertx, VertxTestContext testContext) {
    Context context = vertx.getOrCreateContext();
    Authenticator.create(vertx, CONFIG).onComplete(testContext.succeeding(authenticator -> context.runOnContext(v ->
        authenticator.authenticate("Bearer " + PLAIN_KEY).onComplete(result -> testContext.verify(() -> {
          assertThat(result.succeeded()).isTrue();
          assertThat(Vertx.currentContext()).isSameAs(context);
          testContext.completeNow();
        })))));
  }

  @Test
  void sameSecretTwiceFailsCreate(Vertx vertx, VertxTestContext testContext) {
    AuthConfig config = new AuthConfig(List.of(
        new AuthConfig.ApiKey("a", PLAIN_KEY, null, List.of("app-1")),
        new AuthConfig.ApiKey("b", null, sha256Hex(PLAIN_KEY), List.of("app-2"))), null);
    expectConfigError(testContext, Authenticator.create(vertx, config), "auth.api_keys[1]: same key as auth.api_keys[0]");
  }

  @Test
  void plainKeyThatNoBearerHeaderCanCarryFailsCreate(Vertx vertx, VertxTestContext testContext) {
    AuthConfig config = new AuthConfig(List.of(new AuthConfig.ApiKey("a", "key with spaces", null, List.of("x"))), null);
    Authenticator.create(vertx, config).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.api_keys[0].key: may only contain");
      testContext.completeNow();
    })));
  }

  static void expectConfigError(VertxTestContext testContext, Future<?> result, String message) {
    result.onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class).hasMessage(message);
      testContext.completeNow();
    })));
  }

  static String sha256Hex(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
