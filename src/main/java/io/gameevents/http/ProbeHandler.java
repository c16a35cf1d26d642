package io.gameevents.http;

import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness. /health is 200 while the process runs; /ready is 200 only when the
 * dedup and delivery stages answer and the sink accepts writes, and 503 while draining.
 */
final class ProbeHandler {

  private static final DeliveryOptions PROBE = new DeliveryOptions().setSendTimeout(2000);

  private final Vertx vertx;
  private final BooleanSupplier draining;

  ProbeHandler(Vertx vertx, BooleanSupplier draining) {
    this.vertx = vertx;
    this.draining = draining;
  }

  void health(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "up").toBuffer());
  }

  void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      notReady(ctx, "draining for shutdown", new JsonObject());
      return;
    }
    Future<Message<JsonObject>> dedup = vertx.eventBus().request(Pipeline.DEDUP_HEALTH, null, PROBE);
    Future<Message<JsonObject>> delivery = vertx.eventBus().request(Pipeline.DELIVERY_HEALTH, null, PROBE);
    Future.join(dedup, delivery).onComplete(done -> {
      JsonObject stages = new JsonObject()
          .put("dedup", dedup.succeeded() ? dedup.result().body() : down(dedup.cause()))
          .put("delivery", delivery.succeeded() ? delivery.result().body() : down(delivery.cause()));
      boolean ready = dedup.succeeded() && delivery.succeeded() && delivery.result().body().getBoolean("ready", false);
      if (ready) {
        ctx.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "ready").put("stages", stages).toBuffer());
      } else {
        notReady(ctx, delivery.succeeded() && dedup.succeeded()
            ? "the sink does not accept writes: " + delivery.result().body().getString("detail")
            : "a pipeline stage is not running", stages);
      }
    });
  }

  private static JsonObject down(Throwable cause) {
    return new JsonObject().put("ready", false).put("detail", "no answer: " + cause.getMessage());
  }

  private static void notReady(RoutingContext ctx, String detail, JsonObject stages) {
    Problem.of(503, "not-ready", "Not ready", detail).with("stages", stages)
        .send(ctx.response());
  }
}
