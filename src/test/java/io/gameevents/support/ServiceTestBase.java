package io.gameevents.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh service (file sink in a temp directory) for each test; override {@link #configure} to change its config. */
@ExtendWith(VertxExtension.class)
public abstract class ServiceTestBase {

  protected TestService service;

  protected JsonObject configure(JsonObject config) {
    return config;
  }

  @BeforeEach
  void startService(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, this::configure).onComplete(ctx.succeeding(started -> {
      service = started;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopService(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }
}
