package io.gameevents.http;

import io.gameevents.support.ServiceTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The production clock: an exhausted bucket lets events in again once time has refilled it. */
class RateLimitRefillTest extends ServiceTestBase {

  private static final String LIMITED = "limited-secret-key";

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("auth").getJsonArray("api_keys").add(RateLimitTest.key("limited", LIMITED)
        .put("rate_limit", new JsonObject().put("events_per_second", 1).put("burst", 2)));
    return config;
  }

  @Test
  void anExhaustedBucketRefillsWithTime() throws Exception {
    String a = newId();
    String b = newId();
    HttpResponse<Buffer> exhausting = send("/v1/batch",
        new JsonObject().put("events", new JsonArray().add(install(a)).add(install(b))));
    assertThat(exhausting.statusCode()).isEqualTo(200);
    assertThat(exhausting.getHeader("RateLimit-Remaining")).isEqualTo("0");

    AtomicReference<String> admitted = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String id = newId();
      HttpResponse<Buffer> response = send("/v1/events/install", install(id));
      assertThat(response.statusCode()).isIn(200, 429);
      if (response.statusCode() == 200) {
        admitted.set(id);
      }
      return admitted.get() != null;
    });

    // the requests refused on the way left nothing behind
    assertThat(service.sinkRecords().stream().map(record -> record.getString("event_id")).toList())
        .containsExactly(a, b, admitted.get());
  }

  private HttpResponse<Buffer> send(String path, JsonObject body) throws Exception {
    return service.post(path, LIMITED).sendBuffer(body.toBuffer())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
