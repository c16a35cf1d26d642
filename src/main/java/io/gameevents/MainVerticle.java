package io.gameevents;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigLoader;
import io.gameevents.dedup.BucketedDedupStore;
import io.gameevents.dedup.DedupVerticle;
import io.gameevents.delivery.DeliveryVerticle;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.http.HttpVerticle;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads and validates the configuration, then deploys the stages back to front (delivery, dedup,
 * http), each with its own instance count, so no stage receives traffic before the next one is
 * there. {@link #drain()} undeploys them front to back, so every accepted request is answered
 * and every taken event delivered before the sink closes.
 */
public class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final Sinks.Factory sinkFactory;
  private final Deque<String> stages = new ArrayDeque<>();
  private AppConfig appConfig;
  private Future<Void> drained;
  private volatile long drainDeadlineMillis = Long.MAX_VALUE;

  public MainVerticle() {
    this(Sinks.FROM_CONFIG);
  }

  public MainVerticle(Sinks.Factory sinkFactory) {
    this.sinkFactory = sinkFactory;
  }

  @Override
  public Future<?> start() {
    Pipeline.registerCodecs(vertx);
    return ConfigLoader.load(vertx, config())
        .compose(loaded -> {
          appConfig = loaded;
          return vertx.executeBlocking(() -> {
            if ("file".equals(loaded.delivery().sink())) {
              int recovered = FileSink.recoverInProgressFiles(Path.of(loaded.delivery().file().directory()));
              if (recovered > 0) {
                log.info("published {} file(s) left in progress by the previous run", recovered);
              }
            }
            return EventValidator.load(loaded.validation());
          });
        })
        .compose(validator -> Authenticator.create(vertx, appConfig.auth())
            .compose(authenticator -> deployStages(validator, authenticator)))
        .onSuccess(done -> log.info("game-events listening on {}:{} (sink: {}; instances: http {}, dedup {}, delivery {})",
            appConfig.http().host(), appConfig.http().port(), appConfig.delivery().sink(),
            appConfig.http().instances(), appConfig.dedup().instances(), appConfig.delivery().instances()));
  }

  private Future<Void> deployStages(EventValidator validator, Authenticator authenticator) {
    AppConfig c = appConfig;
    // Timeouts nest so that a 503 is never followed by a late success: HTTP waits request_timeout;
    // dedup gives up on delivery a little earlier, so it can release the ids first; delivery only
    // starts a write that the sink can finish (its own delivery deadline) before dedup gives up.
    long http = c.http().requestTimeoutMs();
    long dedupToDelivery = http - Math.min(1000, http / 10);
    long startWritingWithin = Math.max(1, dedupToDelivery - Sinks.deliveryDeadlineMs(c.delivery()) - 500);
    AtomicInteger partition = new AtomicInteger();
    return deploy(() -> new DeliveryVerticle(c.delivery(), () -> sinkFactory.create(vertx, c.delivery()),
            Sinks.concurrentWrites(c.delivery()), startWritingWithin, () -> drainDeadlineMillis),
        c.delivery().instances())
        .compose(id -> deploy(() -> new DedupVerticle(c.dedup(), partition.getAndIncrement(), dedupToDelivery,
            BucketedDedupStore.from(c.dedup())), c.dedup().instances()))
        .compose(id -> deploy(() -> new HttpVerticle(c, authenticator, validator, () -> drainDeadlineMillis),
            c.http().instances()))
        .mapEmpty();
  }

  private Future<String> deploy(java.util.function.Supplier<io.vertx.core.Deployable> stage, int instances) {
    return vertx.deployVerticle(stage, new DeploymentOptions().setInstances(instances))
        .onSuccess(stages::push);
  }

  /**
   * Graceful shutdown, within {@code shutdown_timeout_ms} in all: HTTP first (503 to new requests,
   * in-flight ones answered), then dedup, then delivery (flushes its batches and closes the sink).
   * Idempotent. Vert.x stops child deployments before their parent's stop(), in no order, so
   * whoever stops the service must call this first: {@link Main} does on SIGTERM.
   */
  public synchronized Future<Void> drain() {
    if (drained == null) {
      long timeoutMs = appConfig == null ? 0 : appConfig.shutdownTimeoutMs();
      drainDeadlineMillis = System.currentTimeMillis() + timeoutMs;
      if (stages.isEmpty()) {
        drained = Future.succeededFuture();
      } else {
        log.info("draining: no new requests; delivering what is in flight");
        drained = undeployNext().onComplete(done -> log.info("drained: every accepted event is delivered"));
      }
    }
    return drained;
  }

  private Future<Void> undeployNext() {
    String id = stages.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id).recover(e -> Future.succeededFuture()).compose(done -> undeployNext());
  }

  public AppConfig appConfig() {
    return appConfig;
  }

  @Override
  public Future<?> stop() {
    return drain();
  }
}
