package io.gameevents.dedup.storage;

import io.gameevents.support.ControlledSink;
import io.gameevents.support.ControlledSink.Mode;
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

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where naive dedup loses events: a copy arriving while its original is still in flight, and a
 * retry after a failed delivery.
 */
@ExtendWith(VertxExtension.class)
class InFlightDedupTest {

  private TestService service;
  private final ControlledSink.Tap tap = new ControlledSink.Tap();

  private Future<TestService> start(Vertx vertx, int dedupInstances) {
    return TestService.start(vertx, c -> { c.getJsonObject("dedup").put("instances", dedupInstances); return c; }, tap)
        .onSuccess(s -> service = s);
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void copyWhileOriginalInFlightIsAnsweredDuplicateOnceOriginalIsStored(Vertx vertx, VertxTestContext ctx) {
    JsonObject event = install(newId());
    withOriginalHeld(vertx, ctx, event, original -> {
      Future<HttpResponse<Buffer>> copy = service.postJson("/v1/events/install", event);
      vertx.setTimer(200, t -> {
        tap.sink().mode(Mode.PASS).release();
        Future.all(original, copy).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(original.result().statusCode()).isEqualTo(200);
          assertThat(original.result().bodyAsJsonObject().getString("status")).isEqualTo("accepted");
          assertThat(copy.result().statusCode()).isEqualTo(200);
          assertThat(copy.result().bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
          assertThat(service.sinkRecords()).hasSize(1);
          assertThat(tap.sink().writes.get()).isEqualTo(1);
          ctx.completeNow();
        })));
      });
    });
  }

  @Test
  void copyWhileOriginalInFlightFailsWhenOriginalFailsAndRetryIsAccepted(Vertx vertx, VertxTestContext ctx) {
    JsonObject event = install(newId());
    withOriginalHeld(vertx, ctx, event, original -> {
      Future<HttpResponse<Buffer>> copy = service.postJson("/v1/events/install", event);
      vertx.setTimer(200, t -> {
        tap.sink().mode(Mode.FAIL).release();
        Future.all(original, copy)
            .compose(all -> {
              tap.sink().mode(Mode.PASS);
              return service.postJson("/v1/events/install", event);
            })
            .onComplete(ctx.succeeding(retry -> ctx.verify(() -> {
              for (HttpResponse<Buffer> failed : List.of(original.result(), copy.result())) {
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.getHeader("Retry-After")).isEqualTo("1");
                assertThat(failed.getHeader("Content-Type")).isEqualTo("application/problem+json");
              }
              assertThat(retry.statusCode()).isEqualTo(200);
              assertThat(retry.bodyAsJsonObject().getString("status")).isEqualTo("accepted");
              assertThat(service.sinkRecords()).hasSize(1);
              ctx.completeNow();
            })));
      });
    });
  }

  @Test
  void copiesWaitingOnOneIdAreBounded(Vertx vertx, VertxTestContext ctx) {
    JsonObject event = install(newId());
    withOriginalHeld(vertx, ctx, event, original -> {
      List<Future<HttpResponse<Buffer>>> copies = new ArrayList<>();
      for (int i = 0; i < DedupPartition.MAX_WAITERS_PER_ID + 4; i++) {
        copies.add(service.postJson("/v1/events/install", event));
      }
      vertx.setTimer(500, t -> {
        ctx.verify(() -> assertThat(copies.stream().filter(Future::isComplete).map(f -> f.result().statusCode()))
            .hasSize(4).containsOnly(503));
        tap.sink().mode(Mode.PASS).release();
        Future.all(original, Future.all(copies)).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(original.result().bodyAsJsonObject().getString("status")).isEqualTo("accepted");
          assertThat(copies.stream().filter(f -> f.result().statusCode() == 200)).hasSize(DedupPartition.MAX_WAITERS_PER_ID);
          assertThat(service.sinkRecords()).hasSize(1);
          ctx.completeNow();
        })));
      });
    });
  }

  @Test
  void concurrentCopiesAcrossSeveralDedupInstancesAreStoredOnce(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(install(newId()));
    }
    start(vertx, 4).onComplete(ctx.succeeding(s -> {
      List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
      for (int copy = 0; copy < 4; copy++) {
        for (JsonObject event : events) {
          sends.add(service.postJson("/v1/events", event));
        }
      }
      Future.all(sends).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        long accepted = sends.stream().filter(f -> "accepted".equals(f.result().bodyAsJsonObject().getString("status"))).count();
        long duplicates = sends.stream().filter(f -> "duplicate".equals(f.result().bodyAsJsonObject().getString("status"))).count();
        assertThat(accepted).isEqualTo(50);
        assertThat(duplicates).isEqualTo(150);
        assertThat(service.sinkRecords()).hasSize(50);
        ctx.completeNow();
      })));
    }));
  }

  /** Starts the service, sends the event while the sink holds writes, and hands over its pending answer. */
  private void withOriginalHeld(Vertx vertx, VertxTestContext ctx, JsonObject event,
                                Consumer<Future<HttpResponse<Buffer>>> whileHeld) {
    start(vertx, 1).onComplete(ctx.succeeding(s -> {
      tap.sink().mode(Mode.HOLD);
      Future<HttpResponse<Buffer>> original = service.postJson("/v1/events/install", event);
      whenHeld(vertx, 1, () -> whileHeld.accept(original));
    }));
  }

  /** Runs the action once the sink holds the expected number of writes. */
  private void whenHeld(Vertx vertx, int writes, Runnable action) {
    vertx.setPeriodic(10, id -> {
      if (tap.sink().heldWrites() >= writes) {
        vertx.cancelTimer(id);
        action.run();
      }
    });
  }
}
