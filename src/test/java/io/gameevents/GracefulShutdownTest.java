package io.gameevents;

import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** Draining answers every request in flight (its events delivered), refuses new ones, closes files. */
@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  private TestService service;

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void drainLosesNoAcknowledgedEvent(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("linger_ms", 1500); // events wait in the batcher while we drain
      return c;
    }).onComplete(ctx.succeeding(s -> {
      service = s;
      List<JsonObject> events = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JsonObject event = install(newId());
        events.add(event);
        inFlight.add(service.postJson("/v1/events/install", event));
      }
      service.awaitInFlight(20).onSuccess(t -> {
        Future<Void> drained = service.main.drain();
        vertx.setTimer(100, t2 -> {
          Future<HttpResponse<Buffer>> ready = service.client.get("/ready").send();
          Future<HttpResponse<Buffer>> late = service.postJson("/v1/events/install", install(newId()));
          Future.all(ready, late).onComplete(ctx.succeeding(probes -> {
            ctx.verify(() -> {
              assertThat(ready.result().statusCode()).isEqualTo(503);
              assertThat(late.result().statusCode()).isEqualTo(503);
              assertThat(late.result().getHeader("Retry-After")).isNotNull();
              assertThat(inFlight).noneMatch(Future::isComplete);
            });
            Future.all(inFlight).compose(all -> drained).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
              assertThat(inFlight).allMatch(f -> f.result().statusCode() == 200);
              assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id"))
                  .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.getString("event_id")).toList());
              try (var files = Files.walk(service.dataDir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".inprogress"))).isEmpty();
              }
              ctx.completeNow();
            })));
          }));
        });
      });
    }));
  }
}
