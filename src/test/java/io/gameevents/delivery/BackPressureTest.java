package io.gameevents.delivery;

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

import java.util.ArrayList;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** With a stuck sink, the in-flight bound holds: beyond it, requests get 503 + Retry-After at once. */
@ExtendWith(VertxExtension.class)
class BackPressureTest {

  private TestService service;
  private final ControlledSink.Tap tap = new ControlledSink.Tap();

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void beyondTheInFlightBoundRequestsGet503AtOnceAndNothingIsLost(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("max_in_flight_events", 100).put("retry_after_seconds", 2);
      c.getJsonObject("http").put("max_batch_events", 25);
      return c;
    }, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD);
      List<Future<HttpResponse<Buffer>>> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // 4 x 25 events = the bound
        held.add(service.postJson("/v1/batch", batch(25)));
      }
      // once the held events fill the bound, the next request must be refused without waiting
      service.awaitInFlight(100).compose(full -> service.postJson("/v1/events/install", install(newId())))
          .onComplete(ctx.succeeding(refused -> {
            ctx.verify(() -> {
              assertThat(refused.statusCode()).isEqualTo(503);
              assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
              assertThat(refused.bodyAsJsonObject().getString("detail")).contains("capacity");
              assertThat(held).noneMatch(Future::isComplete);
            });
            tap.sink().mode(Mode.PASS).release();
            Future.all(held).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
              for (Future<HttpResponse<Buffer>> response : held) {
                assertThat(response.result().statusCode()).isEqualTo(200);
                assertThat(response.result().bodyAsJsonObject().getInteger("accepted")).isEqualTo(25);
              }
              assertThat(service.sinkRecords()).hasSize(100);
              ctx.completeNow();
            })));
          }));
    }));
  }

  @Test
  void beyondTheRequestBoundRequestsGet503BeforeTheirBodyIsRead(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("http").put("instances", 1).put("max_requests_in_flight", 2);
      return c;
    }, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD);
      List<Future<HttpResponse<Buffer>>> held = List.of(
          service.postJson("/v1/events/install", install(newId())),
          service.postJson("/v1/events/install", install(newId())));
      service.awaitInFlight(2).compose(full -> service.postJson("/v1/events/install", install(newId())))
          .onComplete(ctx.succeeding(refused -> {
            ctx.verify(() -> {
              assertThat(refused.statusCode()).isEqualTo(503);
              assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
              assertThat(refused.bodyAsJsonObject().getString("detail")).contains("at capacity");
            });
            tap.sink().mode(Mode.PASS).release();
            Future.all(held).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
              assertThat(held).allMatch(f -> f.result().statusCode() == 200);
              assertThat(service.sinkRecords()).hasSize(2);
              ctx.completeNow();
            })));
          }));
    }));
  }

  @Test
  void eventsThatWaitedTooLongForTheSinkAre503AndNeverWritten(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("http").put("request_timeout_ms", 3000);
      return c;
    }, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.HOLD);
      JsonObject first = install(newId());
      JsonObject queued = install(newId());
      Future<HttpResponse<Buffer>> held = service.postJson("/v1/events/install", first);
      service.awaitInFlight(1).compose(one -> {
        Future<HttpResponse<Buffer>> late = service.postJson("/v1/events/install", queued);
        // the queued event waits behind the held write past the point where it could still be
        // confirmed in time; then the sink comes back
        return vertx.timer(2600).compose(t -> {
          tap.sink().mode(Mode.PASS).release();
          return Future.all(held, late).map(all -> late.result());
        });
      }).onComplete(ctx.succeeding(late -> ctx.verify(() -> {
        assertThat(held.result().statusCode()).isEqualTo(200);
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id"))
            .containsExactly(first.getString("event_id"));
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void sinkFailureIs503AndTheRetryIsAccepted(Vertx vertx, VertxTestContext ctx) {
    JsonObject event = install(newId());
    TestService.start(vertx, c -> c, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.FAIL);
      service.postJson("/v1/events/install", event)
          .compose(failed -> {
            ctx.verify(() -> {
              assertThat(failed.statusCode()).isEqualTo(503);
              assertThat(failed.getHeader("Retry-After")).isEqualTo("1");
              assertThat(failed.bodyAsJsonObject().getString("event_id")).isEqualTo(event.getString("event_id"));
            });
            tap.sink().mode(Mode.PASS);
            return service.postJson("/v1/events/install", event);
          })
          .onComplete(ctx.succeeding(retry -> ctx.verify(() -> {
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(retry.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
            assertThat(service.sinkRecords()).hasSize(1);
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void batchWithUndeliveredEventsIs503WithPerEventResults(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> c, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      tap.sink().mode(Mode.FAIL);
      service.postJson("/v1/batch", batch(3).put("events", batch(3).getJsonArray("events").add("bad")))
          .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isEqualTo("1");
            JsonObject body = response.bodyAsJsonObject();
            assertThat(body.getInteger("accepted")).isZero();
            assertThat(body.getInteger("rejected")).isEqualTo(1);
            assertThat(body.getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("status")))
                .containsExactly("unavailable", "unavailable", "unavailable", "rejected");
            assertThat(service.sinkRecords()).isEmpty();
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void eventsOfConcurrentRequestsShareSinkWrites(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("linger_ms", 50);
      return c;
    }, tap).onComplete(ctx.succeeding(s -> {
      service = s;
      List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        sends.add(service.postJson("/v1/events/install", install(newId())));
      }
      Future.all(sends).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(sends).allMatch(f -> f.result().statusCode() == 200);
        assertThat(service.sinkRecords()).hasSize(100);
        // group commit: far fewer fsyncs than requests
        assertThat(tap.sink().writes.get()).isLessThan(20);
        ctx.completeNow();
      })));
    }));
  }

  private static JsonObject batch(int size) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < size; i++) {
      events.add(install(newId()));
    }
    return new JsonObject().put("events", events);
  }
}
