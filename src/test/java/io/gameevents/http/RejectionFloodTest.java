package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 10,000 refused requests (invalid events, unknown keys, another app's key) write a few kilobytes of log,
 * not megabytes, and every one of them is still counted: logged, or in a line's {@code suppressed}.
 */
class RejectionFloodTest extends ServiceTestBase {

  static final int REQUESTS = 10_000;
  static final int IN_FLIGHT = 50;
  static final int PER_SECOND = 2;

  @Override
  protected JsonObject configure(JsonObject config) {
    return config.put("log", new JsonObject().put("rejections_per_second", PER_SECOND));
  }

  @Test
  void aFloodOfBadRequestsDoesNotFillTheDisk() throws Exception {
    try (CapturedLog log = CapturedLog.access()) {
      Buffer invalid = install(newId()).put("amount", 1).toBuffer();
      Buffer valid = install(newId()).toBuffer();
      for (int sent = 0; sent < REQUESTS; sent += IN_FLIGHT) {
        List<Future<HttpResponse<Buffer>>> wave = new ArrayList<>(IN_FLIGHT);
        for (int i = sent; i < sent + IN_FLIGHT; i++) {
          wave.add(switch (i % 3) {
            case 0 -> service.post("/v1/events/install").sendBuffer(invalid);
            case 1 -> service.post("/v1/events/install", "wrong-key-" + i).sendBuffer(valid);
            default -> service.post("/v1/events/install", TestService.OTHER_APP_KEY).sendBuffer(valid);
          });
        }
        Future.all(wave).await(60, SECONDS);
        wave.forEach(response -> assertThat(response.result().statusCode()).isIn(400, 401, 403));
      }

      // the last counts are reported once their second is over
      await().atMost(Duration.ofSeconds(20)).until(() -> accountedFor(log) == REQUESTS);

      List<JsonObject> lines = log.accessLines();
      long refusalLines = lines.stream().filter(line -> line.containsKey("request_id")).count();
      long summaries = lines.size() - refusalLines;
      double bytesPerLine = (double) log.size() / lines.size();
      System.out.printf("%d refused requests: %d lines (%d of them summaries), %d bytes (%.0f per line);"
          + " a line each would be about %.0f bytes%n", REQUESTS, lines.size(), summaries, log.size(), bytesPerLine,
          REQUESTS * bytesPerLine);
      assertThat(lines).allSatisfy(line -> {
        assertThat(line.getString("reason")).isIn("invalid-event", "unauthorized", "forbidden-app");
        assertThat(line.getLong("suppressed")).isNotNull();
      });
      // 3 keys x 2 lines a second, plus a summary per key a second: 256 KiB lasts a flood of a minute or more
      assertThat(log.size()).isLessThan(256 * 1024);
      assertThat(refusalLines).isLessThan(REQUESTS / 10);
      assertThat(log.text()).doesNotContain("wrong-key-").doesNotContain(TestService.OTHER_APP_KEY);
    }
  }

  /** Each request line stands for itself and the ones left out before it; a summary for the ones after. */
  private static long accountedFor(CapturedLog log) {
    return log.accessLines().stream()
        .mapToLong(line -> line.getLong("suppressed") + (line.containsKey("request_id") ? 1 : 0)).sum();
  }
}
