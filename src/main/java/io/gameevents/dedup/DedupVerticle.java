package io.gameevents.dedup;

import io.gameevents.config.DedupConfig;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  private final DedupConfig config;
  private final int partition;
  private final long deliveryTimeoutMs;
  private final DedupStore store;
  private final Map<DedupKey, List<Waiter>> inFlight = new HashMap<>();

  public DedupVerticle(DedupConfig config, int partition, long deliveryTimeoutMs, DedupStore store) {
    this.config = config;
    this.partition = partition;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    var batches = vertx.eventBus().<EventBatch>consumer(Pipeline.dedupAddress(partition), this::onBatch);
    var health = vertx.eventBus().consumer(Pipeline.DEDUP_HEALTH, message -> message.reply(new JsonObject()
        .put("ready", true)
        .put("remembered_ids", store.size())
        .put("forgotten_ids", store.forgotten())
        .put("in_flight_ids", inFlight.size())
        .put("bytes", store.bytesUsed())));
    return Future.all(batches.completion(), health.completion());
  }

  public DedupStore store() {
    return store;
  }

  private void onBatch(Message<EventBatch> message) {
    List<PipelineEvent> events = message.body().events();
    Reply reply = new Reply(message, events.size());
    List<PipelineEvent> fresh = new ArrayList<>(events.size());
    List<DedupKey> freshKeys = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      DedupKey key = DedupKey.of(event.appId(), event.eventId());
      List<Waiter> waiters = inFlight.get(key);
      if (waiters != null) {
        waiters.add(new Waiter(reply, i)); // the original is in flight: answer as it ends
      } else if (store.contains(key.hi(), key.lo())) {
        reply.complete(i, Outcome.DUPLICATE);
      } else if (inFlight.size() >= config.maxInFlight()) {
        reply.complete(i, Outcome.OVERLOADED);
      } else {
        inFlight.put(key, new ArrayList<>(1));
        fresh.add(event);
        freshKeys.add(key);
        reply.expectDelivery(i);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    vertx.eventBus().<Outcomes>request(Pipeline.DELIVERY, new EventBatch(fresh), Pipeline.sendOptions(deliveryTimeoutMs))
        .onComplete(delivered -> {
          for (int j = 0; j < fresh.size(); j++) {
            Outcome outcome = delivered.succeeded() ? delivered.result().body().get(j) : Outcome.SINK_FAILED;
            settle(freshKeys.get(j), outcome);
          }
          reply.deliveryDone(delivered.succeeded() ? delivered.result().body() : null);
        });
  }

  /** Commit or release the reservation and answer everyone who waited on it. */
  private void settle(DedupKey key, Outcome outcome) {
    if (outcome == Outcome.ACCEPTED) {
      store.remember(key.hi(), key.lo());
    }
    List<Waiter> waiters = inFlight.remove(key);
    Outcome forWaiters = outcome == Outcome.ACCEPTED ? Outcome.DUPLICATE : outcome;
    for (Waiter waiter : waiters) {
      waiter.reply.complete(waiter.index, forWaiters);
    }
  }

  private record Waiter(Reply reply, int index) {
  }

  /** The outcomes of one incoming message; replied once every event's outcome is known. */
  private static final class Reply {
    private final Message<EventBatch> message;
    private final Outcomes outcomes;
    private final List<Integer> delivered = new ArrayList<>();
    private int pending;

    Reply(Message<EventBatch> message, int size) {
      this.message = message;
      this.outcomes = Outcomes.of(size);
      this.pending = size;
    }

    void expectDelivery(int index) {
      delivered.add(index);
    }

    void deliveryDone(Outcomes fromDelivery) {
      for (int j = 0; j < delivered.size(); j++) {
        complete(delivered.get(j), fromDelivery == null ? Outcome.SINK_FAILED : fromDelivery.get(j));
      }
    }

    void complete(int index, Outcome outcome) {
      outcomes.set(index, outcome);
      if (--pending == 0) {
        message.reply(outcomes);
      }
    }
  }
}
