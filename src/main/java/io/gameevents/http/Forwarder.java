package io.gameevents.http;

import io.gameevents.dedup.DedupKey;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands a request's valid events to the dedup stage: one message per dedup partition the events
 * fall in (usually one), and merges the replies back into request order.
 */
final class Forwarder {

  private final EventBus eventBus;
  private final int partitions;
  private final long timeoutMs;

  Forwarder(EventBus eventBus, int partitions, long timeoutMs) {
    this.eventBus = eventBus;
    this.partitions = partitions;
    this.timeoutMs = timeoutMs;
  }

  Future<Outcomes> forward(List<PipelineEvent> events) {
    if (partitions == 1) {
      return send(0, events);
    }
    List<List<Integer>> indexes = new ArrayList<>(partitions);
    List<List<PipelineEvent>> parts = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      indexes.add(new ArrayList<>());
      parts.add(new ArrayList<>());
    }
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      int p = DedupKey.of(event.appId(), event.eventId()).partition(partitions);
      indexes.get(p).add(i);
      parts.get(p).add(event);
    }
    Outcomes merged = Outcomes.of(events.size());
    List<Future<Outcomes>> replies = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      if (parts.get(p).isEmpty()) {
        continue;
      }
      List<Integer> positions = indexes.get(p);
      replies.add(send(p, parts.get(p)).onSuccess(outcomes -> {
        for (int j = 0; j < positions.size(); j++) {
          merged.set(positions.get(j), outcomes.get(j));
        }
      }));
    }
    Promise<Outcomes> done = Promise.promise();
    Future.join(replies).onComplete(all -> done.complete(merged));
    return done.future();
  }

  /** Never fails: a lost or refused message becomes a retryable outcome for its events. */
  private Future<Outcomes> send(int partition, List<PipelineEvent> events) {
    return eventBus.<Outcomes>request(Pipeline.dedupAddress(partition), new EventBatch(events),
            Pipeline.sendOptions(timeoutMs))
        .map(reply -> reply.body())
        .recover(failure -> Future.succeededFuture(Outcomes.all(events.size(), outcomeOf(failure))));
  }

  private static Outcome outcomeOf(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Outcome.SHUTTING_DOWN;
    }
    return Outcome.SINK_FAILED;
  }
}
