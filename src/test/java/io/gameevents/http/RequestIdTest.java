package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.ServiceTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** X-Request-Id on every answer, the client's when sane, and in every problem body. */
class RequestIdTest extends ServiceTestBase {

  @Test
  void everyAnswerCarriesAFreshIdWhenTheClientSentNone() throws Exception {
    HttpResponse<Buffer> first = service.postJson("/v1/events/install", install(newId())).await(60, SECONDS);
    HttpResponse<Buffer> second = service.client.get("/health").send().await(60, SECONDS);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    assertThat(second.getHeader("X-Request-Id")).matches("[0-9a-f]{32}").isNotEqualTo(first.getHeader("X-Request-Id"));
  }

  @Test
  void aSaneClientIdIsEchoedAndAnInsaneOneReplaced() throws Exception {
    String sane = "game-7f3a:frame-1234/retry_2";
    for (String id : new String[] {sane, "x".repeat(128)}) {
      assertThat(post(id).getHeader("X-Request-Id")).isEqualTo(id);
    }
    // "é" arrives as the byte 0xE9: any byte outside visible ASCII makes the id unsafe for a log line
    for (String insane : new String[] {"x".repeat(129), "has space", "tab\tinside", "é"}) {
      assertThat(post(insane).getHeader("X-Request-Id")).as(insane).matches("[0-9a-f]{32}");
    }
  }

  /** The id is in every log line: a client that sends its key as its request id gets a fresh id instead. */
  @Test
  void anIdTakenFromTheCredentialIsReplaced() throws Exception {
    String key = io.gameevents.support.TestService.KEY;
    for (String fromKey : new String[] {key, key.substring(0, 8)}) {
      assertThat(post(fromKey).getHeader("X-Request-Id")).as(fromKey).matches("[0-9a-f]{32}");
    }
    assertThat(post("dev-sec").getHeader("X-Request-Id")).isEqualTo("dev-sec"); // shorter than 8: too little to matter
  }

  @Test
  void problemBodiesNameTheRequestIdOfTheirAnswer() throws Exception {
    HttpResponse<Buffer> unauthorized = service.post("/v1/events/install", null)
        .putHeader("X-Request-Id", "quote-me-42").sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
    HttpResponse<Buffer> invalid = service.postJson("/v1/events/install", install(newId()).put("amount", 1)).await(60, SECONDS);
    HttpResponse<Buffer> notFound = service.client.get("/no/such/path").send().await(60, SECONDS);

    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.bodyAsJsonObject().getString("request_id")).isEqualTo("quote-me-42");
    for (HttpResponse<Buffer> problem : java.util.List.of(invalid, notFound)) {
      JsonObject body = problem.bodyAsJsonObject();
      assertThat(body.getString("request_id")).as(body.encode()).isEqualTo(problem.getHeader("X-Request-Id"))
          .matches("[0-9a-f]{32}");
    }
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(invalid.statusCode()).isEqualTo(400);
  }

  private HttpResponse<Buffer> post(String requestId) throws Exception {
    return service.post("/v1/events/install").putHeader("X-Request-Id", requestId)
        .sendBuffer(install(newId()).toBuffer()).await(60, SECONDS);
  }
}
