package io.gameevents.http.auth;

import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Completes a test once an authentication result has been checked. */
final class Outcomes {

  private Outcomes() {
  }

  static void expectPrincipal(VertxTestContext testContext, Future<Principal> result, Consumer<Principal> check) {
    result.onComplete(testContext.succeeding(principal -> testContext.verify(() -> {
      check.accept(principal);
      testContext.completeNow();
    })));
  }

  /** @param bearerError expected RFC 6750 error code, null for "no bearer credentials at all" */
  static void expectRejected(VertxTestContext testContext, Future<?> result, String bearerError, String reason) {
    result.onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(failure).isInstanceOf(AuthenticationException.class).hasMessage(reason);
      assertThat(((AuthenticationException) failure).bearerError()).isEqualTo(bearerError);
      testContext.completeNow();
    })));
  }

  static void expectInvalidToken(VertxTestContext testContext, Future<?> result, String reason) {
    expectRejected(testContext, result, AuthenticationException.INVALID_TOKEN, reason);
  }
}
