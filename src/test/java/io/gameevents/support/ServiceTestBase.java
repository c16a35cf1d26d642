package io.gameevents.support;

import io.gameevents.delivery.Sinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.function.LongSupplier;

/** A fresh service (file sink in a temp directory) for each test; override {@link #configure} to change its config. */
@ExtendWith(VertxExtension.class)
public abstract class ServiceTestBase {

  protected TestService service;

  protected JsonObject configure(JsonObject config) {
    return config;
  }

  /** The nanos the rate-limit buckets read; override to move time from the test. */
  protected LongSupplier rateClock() {
    return System::nanoTime;
  }

  /** Where the service's delivery stage writes; override with a {@link ControlledSink.Tap} to fail writes. */
  protected Sinks.Factory sinks() {
    return Sinks.FROM_CONFIG;
  }

  @BeforeEach
  void startService(Vertx vertx, VertxTestContext ctx) {
    TestService.start(vertx, this::configure, sinks(), new SimpleMeterRegistry(), rateClock())
        .onComplete(ctx.succeeding(started -> {
          service = started;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stopService(VertxTestContext ctx) {
    service.stop().onComplete(ctx.succeedingThenComplete());
  }
}
