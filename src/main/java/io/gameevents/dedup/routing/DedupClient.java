package io.gameevents.dedup.routing;

import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP stage's one way into the dedup stage: {@link #admit} hands a request's valid events over: one message per owner the events' partitions
 * have ({@link OwnerTable}), usually one, and merges the replies back into request order. Events
 * whose owner is unknown, or which the owner no longer serves (MISROUTED), go to their
 * partition's own address, which only the partition's current owner listens on.
 */
public final class DedupClient {

  private final EventBus eventBus;
  private final int partitions;
  private final long timeoutMs;
  private final OwnerTable owners;
  private final DedupHasher hasher;

  public DedupClient(EventBus eventBus, int partitions, long timeoutMs, OwnerTable owners, DedupHasher hasher) {
    this.eventBus = eventBus;
    this.hasher = hasher;
    this.partitions = partitions;
    this.timeoutMs = timeoutMs;
    this.owners = owners;
  }

  /** The events' outcomes, in their order: each one reserved, found a duplicate, or not taken (and why). */
  public Future<Outcomes> admit(List<PipelineEvent> events) {
    Map<String, List<Integer>> byAddress = new LinkedHashMap<>();
    Map<String, Boolean> ownerIsLocal = new java.util.HashMap<>(); // only owners' instance addresses
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      int partition = hasher.key(event.appId(), event.eventId()).partition(partitions);
      String owner = owners.addressOf(partition);
      String address = owner != null ? owner : Pipeline.dedupAddress(partition);
      byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(i);
      if (owner != null) {
        ownerIsLocal.put(owner, owners.isLocal(partition));
      }
    }
    if (byAddress.size() == 1) {
      String only = byAddress.keySet().iterator().next();
      return sendTo(only, events, ownerIsLocal.get(only)).compose(outcomes -> resendMisrouted(events, outcomes));
    }
    Outcomes merged = Outcomes.of(events.size());
    List<Future<Outcomes>> replies = new ArrayList<>(byAddress.size());
    byAddress.forEach((address, positions) -> replies.add(sendTo(address, pick(events, positions),
        ownerIsLocal.get(address)).onSuccess(outcomes -> copy(outcomes, positions, merged))));
    return Future.join(replies).transform(all -> resendMisrouted(events, merged));
  }

  /**
   * To a partition's address ({@code ownerIsLocal} null) or an owner's instance address. An owner
   * that is gone (no handler: it left, the table is stale) is treated like a misroute, so the
   * events go to their partitions' addresses instead.
   */
  private Future<Outcomes> sendTo(String address, List<PipelineEvent> events, Boolean ownerIsLocal) {
    if (ownerIsLocal == null) {
      return send(address, events, false);
    }
    return send(address, events, ownerIsLocal).map(outcomes -> {
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i) == Outcome.SHUTTING_DOWN) {
          outcomes.set(i, Outcome.MISROUTED);
        }
      }
      return outcomes;
    });
  }

  /** Sends the events the owner table got wrong to their partitions' own addresses. */
  private Future<Outcomes> resendMisrouted(List<PipelineEvent> events, Outcomes outcomes) {
    Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == Outcome.MISROUTED) {
        PipelineEvent event = events.get(i);
        byPartition.computeIfAbsent(hasher.key(event.appId(), event.eventId()).partition(partitions),
            p -> new ArrayList<>()).add(i);
      }
    }
    if (byPartition.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    List<Future<Outcomes>> replies = new ArrayList<>(byPartition.size());
    byPartition.forEach((partition, positions) -> replies.add(send(Pipeline.dedupAddress(partition),
        pick(events, positions), false).onSuccess(resent -> copy(resent, positions, outcomes))));
    return Future.join(replies).transform(all -> {
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i) == Outcome.MISROUTED) {
          outcomes.set(i, Outcome.SHUTTING_DOWN); // moved again meanwhile: the client retries
        }
      }
      return Future.succeededFuture(outcomes);
    });
  }

  private static List<PipelineEvent> pick(List<PipelineEvent> events, List<Integer> positions) {
    List<PipelineEvent> picked = new ArrayList<>(positions.size());
    for (int position : positions) {
      picked.add(events.get(position));
    }
    return picked;
  }

  private static void copy(Outcomes from, List<Integer> positions, Outcomes into) {
    for (int j = 0; j < positions.size(); j++) {
      into.set(positions.get(j), from.get(j));
    }
  }

  /** Never fails: a lost or refused message becomes a retryable outcome for its events. */
  private Future<Outcomes> send(String address, List<PipelineEvent> events, boolean localOnly) {
    return eventBus.<Outcomes>request(address, new EventBatch(events),
            Pipeline.sendOptions(timeoutMs).setLocalOnly(localOnly))
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
