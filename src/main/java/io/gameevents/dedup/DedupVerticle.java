package io.gameevents.dedup;

import io.gameevents.config.DedupConfig;
import io.gameevents.metrics.Metrics;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.OutcomeCollector;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dedup stage, one partition of the key space per instance (the HTTP stage routes each
 * event by {@link DedupKey#partition}), so concurrent copies of one event always meet here, on one
 * thread, and no locking is needed.
 *
 * <p>Two-step: a new id is reserved when the event enters, committed (remembered) when the sink
 * confirmed it, released when delivery failed, so the client's retry is accepted and not
 * swallowed as a duplicate. A copy that arrives while its original is in flight waits for the
 * original's outcome: accepted becomes DUPLICATE, a failure is passed on as the same failure.
 */
public class DedupVerticle extends VerticleBase {

  /** Copies of one event waiting for its original; beyond this a copy is told to retry later. */
  static final int MAX_WAITERS_PER_ID = 16;

  private final DedupConfig config;
  private final int partition;
  private final long deliveryTimeoutMs;
  private final DedupStore store;
  private final Map<DedupKey, List<Waiter>> inFlight = new HashMap<>();

  // the store is single-threaded: metrics read these copies, refreshed on this verticle's context
  private final AtomicLong rememberedIds = new AtomicLong();
  private final AtomicLong forgottenIds = new AtomicLong();
  private final AtomicLong storeBytes = new AtomicLong();

  public DedupVerticle(DedupConfig config, int partition, long deliveryTimeoutMs, DedupStore store) {
    this.config = config;
    this.partition = partition;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    registerMeters();
    vertx.setPeriodic(1000, id -> refreshFigures());
    var batches = vertx.eventBus().<EventBatch>consumer(Pipeline.dedupAddress(partition), this::onBatch);
    var health = vertx.eventBus().consumer(Pipeline.DEDUP_HEALTH, message -> message.reply(new JsonObject()
        .put("ready", true)
        .put("remembered_ids", store.size())
        .put("forgotten_ids", store.forgotten())
        .put("in_flight_ids", inFlight.size())
        .put("bytes", store.bytesUsed())));
    return Future.all(batches.completion(), health.completion());
  }

  private void onBatch(Message<EventBatch> message) {
    List<PipelineEvent> events = message.body().events();
    OutcomeCollector reply = new OutcomeCollector(message);
    List<PipelineEvent> fresh = new ArrayList<>(events.size());
    List<DedupKey> freshKeys = new ArrayList<>(events.size());
    List<Integer> freshIndexes = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      DedupKey key = DedupKey.of(event.appId(), event.eventId());
      List<Waiter> waiters = inFlight.get(key);
      if (waiters != null) {
        if (waiters.size() < MAX_WAITERS_PER_ID) {
          waiters.add(new Waiter(reply, i)); // the original is in flight: answer as it ends
        } else {
          reply.complete(i, Outcome.OVERLOADED);
        }
      } else if (store.contains(key.hi(), key.lo())) {
        reply.complete(i, Outcome.DUPLICATE);
      } else if (inFlight.size() >= config.maxInFlight()) {
        reply.complete(i, Outcome.OVERLOADED);
      } else {
        inFlight.put(key, new ArrayList<>(1));
        fresh.add(event);
        freshKeys.add(key);
        freshIndexes.add(i);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    vertx.eventBus().<Outcomes>request(Pipeline.DELIVERY, new EventBatch(fresh), Pipeline.sendOptions(deliveryTimeoutMs))
        .onComplete(delivered -> {
          for (int j = 0; j < fresh.size(); j++) {
            Outcome outcome = delivered.succeeded() ? delivered.result().body().get(j) : Outcome.SINK_FAILED;
            try {
              settle(freshKeys.get(j), outcome);
            } finally {
              reply.complete(freshIndexes.get(j), outcome);
            }
          }
          refreshFigures();
        });
  }

  /** Commit or release the reservation and answer everyone who waited on it. */
  private void settle(DedupKey key, Outcome outcome) {
    List<Waiter> waiters = inFlight.remove(key);
    if (outcome == Outcome.ACCEPTED) {
      store.remember(key.hi(), key.lo());
    }
    Outcome forWaiters = outcome == Outcome.ACCEPTED ? Outcome.DUPLICATE : outcome;
    for (Waiter waiter : waiters) {
      waiter.reply.complete(waiter.index, forWaiters);
    }
  }

  private void refreshFigures() {
    rememberedIds.set(store.size());
    forgottenIds.set(store.forgotten());
    storeBytes.set(store.bytesUsed());
  }

  private void registerMeters() {
    Tags tags = Tags.of("partition", Integer.toString(partition));
    MeterRegistry registry = Metrics.registry();
    Gauge.builder("game_events_dedup_remembered_ids", rememberedIds, AtomicLong::get).tags(tags)
        .description("Event ids remembered in the dedup window").register(registry);
    FunctionCounter.builder("game_events_dedup_forgotten_ids", forgottenIds, AtomicLong::get).tags(tags)
        .description("Ids forgotten before their window ended because dedup.max_entries was reached")
        .register(registry);
    Gauge.builder("game_events_dedup_store_bytes", storeBytes, AtomicLong::get).tags(tags)
        .description("Heap bytes of the dedup tables").register(registry);
  }

  private record Waiter(OutcomeCollector reply, int index) {
  }
}
