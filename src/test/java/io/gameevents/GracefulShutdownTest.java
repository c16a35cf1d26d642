package io.gameevents;

import io.gameevents.support.ControlledSink;
import io.gameevents.support.ControlledSink.Mode;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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

  private final ControlledSink.Tap tap = new ControlledSink.Tap();
  private TestService service;

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void drainLosesNoAcknowledgedEvent(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> c, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD); // the events wait in the sink while we drain
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
          Future<HttpResponse<Buffer>> ready = service.probe("/ready").send();
          Future<HttpResponse<Buffer>> late = service.postJson("/v1/events/install", install(newId()));
          Future.all(ready, late).onComplete(ctx.succeeding(probes -> {
            ctx.verify(() -> {
              assertThat(ready.result().statusCode()).isEqualTo(503);
              assertThat(late.result().statusCode()).isEqualTo(503);
              assertThat(late.result().getHeader("Retry-After")).isNotNull();
              assertThat(inFlight).noneMatch(Future::isComplete);
            });
            tap.sink().mode(Mode.PASS).release();
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

  /** Nothing new comes to fill a batch once the node drains: the batcher writes at once (this test's 30 s limit). */
  @Test
  void drainDoesNotWaitOutTheLinger(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("linger_ms", 60_000);
      c.getJsonObject("http").put("request_timeout_ms", 90_000);
      return c.put("shutdown_timeout_ms", 80_000);
    }).onComplete(ctx.succeeding(s -> {
      service = s;
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        inFlight.add(service.postJson("/v1/events/install", install(newId())));
      }
      service.awaitInFlight(5).onSuccess(t -> {
        Future<Void> drained = service.main.drain();
        Future.all(inFlight).compose(all -> drained).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(inFlight).allMatch(f -> f.result().statusCode() == 200);
          assertThat(service.sinkRecords()).hasSize(5);
          ctx.completeNow();
        })));
      });
    }));
  }

  /** At the shutdown deadline a request still waiting for the sink gets an honest 503, not a dropped connection. */
  @Test
  void requestsUnansweredAtTheShutdownDeadlineGet503(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> c.put("shutdown_timeout_ms", 500), tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD); // the sink never confirms before the deadline
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        inFlight.add(service.postJson("/v1/events/install", install(newId())));
      }
      service.awaitInFlight(3).onSuccess(t -> {
        Future<Void> drained = service.main.drain();
        Future.all(inFlight).onComplete(ctx.succeeding(answered -> {
          ctx.verify(() -> assertThat(inFlight).allSatisfy(f -> {
            HttpResponse<Buffer> answer = f.result();
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.getHeader("Retry-After")).isNotNull();
            assertThat(answer.getHeader("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.bodyAsJsonObject().getString("detail"))
                .isEqualTo("The service is shutting down. The event was not stored; retrying it is safe.");
          }));
          tap.sink().mode(Mode.FAIL).release(); // the held write ends (unconfirmed), so the drain can end
          drained.onComplete(ctx.succeeding(done -> ctx.completeNow()));
        }));
      });
    }));
  }

  /**
   * An event refused in a batch counts as rejected when it is refused, not when the batch is answered:
   * here the answer is the shutdown deadline's 503, and the pipeline's reply, which comes later, is dropped.
   */
  @Test
  void aBatchAnsweredAtTheShutdownDeadlineStillCountsItsRejectedEvent(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> c.put("shutdown_timeout_ms", 500), tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD); // the valid event waits in the sink past the deadline
      JsonObject batch = new JsonObject().put("events",
          new JsonArray().add(install(newId())).add(install(newId()).put("colour", "blue")));
      Future<HttpResponse<Buffer>> answer = service.postJson("/v1/batch", batch);
      service.awaitInFlight(1).onSuccess(t -> {
        Future<Void> drained = service.main.drain();
        answer.onComplete(ctx.succeeding(response -> {
          ctx.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.bodyAsJsonObject().getString("detail"))
                .isEqualTo("The service is shutting down. The event was not stored; retrying it is safe.");
            assertThat(events("rejected")).isEqualTo(1.0);
            assertThat(events("accepted")).isZero();
          });
          tap.sink().mode(Mode.FAIL).release(); // the held write ends (unconfirmed), so the drain can end
          drained.onComplete(ctx.succeeding(done -> ctx.completeNow()));
        }));
      });
    }));
  }

  private double events(String outcome) {
    return service.registry.get("game_events_events").tag("outcome", outcome).counter().count();
  }
}
