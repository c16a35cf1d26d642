package io.gameevents.dedup.routing;

import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP stage's one way into the dedup stage: {@link #admit} hands a request's valid events over: one
 * message per owner the events' partitions have ({@link OwnerTable}), usually one, and merges the replies back
 * into request order. Events whose owner is unknown go to their partition's own address, which only the
 * partition's current owner listens on. An owner that does not serve them ({@link DedupReply#NOT_SERVED_HERE}:
 * the table was stale) sends them there once more; at a partition's own address nobody serving them means the
 * partition is between owners, and the client is told to retry (SHUTTING_DOWN, a 503).
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

  /**
   * The events' outcomes, in their order: each one reserved, found a duplicate, or not taken (and why). Each id is
   * hashed here once: its key picks the partition and, for an owner on this node, travels with the event
   * ({@link KeyedBatch}).
   */
  public Future<Outcomes> admit(List<PipelineEvent> events) {
    DedupKey[] keys = new DedupKey[events.size()];
    Map<String, List<Integer>> byAddress = new LinkedHashMap<>();
    Map<String, Boolean> ownerIsLocal = new HashMap<>(); // only owners' instance addresses
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      keys[i] = hasher.key(event.appId(), event.eventId());
      int partition = keys[i].partition(partitions);
      String owner = owners.addressOf(partition);
      String address = owner != null ? owner : Pipeline.dedupAddress(partition);
      byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(i);
      if (owner != null) {
        ownerIsLocal.put(owner, owners.isLocal(partition));
      }
    }
    if (byAddress.size() == 1) {
      String only = byAddress.keySet().iterator().next();
      return sendTo(only, new KeyedBatch(events, keys), ownerIsLocal.get(only));
    }
    Outcomes merged = Outcomes.of(events.size());
    List<Future<Outcomes>> replies = new ArrayList<>(byAddress.size());
    byAddress.forEach((address, positions) -> replies.add(sendTo(address, pick(events, keys, positions),
        ownerIsLocal.get(address)).onSuccess(outcomes -> copy(outcomes, positions, merged))));
    return Future.join(replies).transform(all -> Future.succeededFuture(merged));
  }

  /**
   * To an owner's instance address, or ({@code ownerIsLocal} null) to a partition's own address. Only an owner on
   * this node is sent the keys. Never fails.
   */
  private Future<Outcomes> sendTo(String address, KeyedBatch batch, Boolean ownerIsLocal) {
    List<PipelineEvent> events = batch.events();
    if (ownerIsLocal == null) {
      return toPartition(address, events);
    }
    return request(address, ownerIsLocal ? batch : new EventBatch(events), ownerIsLocal).compose(reply -> {
      if (reply instanceof DedupReply.Served served) {
        return Future.succeededFuture(served.outcomes());
      }
      if (reply instanceof DedupReply.NotServedHere) {
        return toPartitions(batch);
      }
      return Future.succeededFuture(Outcomes.all(events.size(), Outcome.SHUTTING_DOWN)); // moving: retry later
    }).otherwise(lost -> Outcomes.all(events.size(), Outcome.SINK_FAILED));
  }

  /** The events the owner table sent to an instance that does not serve them, each to its partition's own address. */
  private Future<Outcomes> toPartitions(KeyedBatch batch) {
    Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < batch.keys().length; i++) {
      byPartition.computeIfAbsent(batch.keys()[i].partition(partitions), p -> new ArrayList<>()).add(i);
    }
    Outcomes merged = Outcomes.of(batch.events().size());
    List<Future<Outcomes>> replies = new ArrayList<>(byPartition.size());
    byPartition.forEach((partition, positions) -> replies.add(toPartition(Pipeline.dedupAddress(partition),
        pick(batch.events(), batch.keys(), positions).events())
        .onSuccess(outcomes -> copy(outcomes, positions, merged))));
    return Future.join(replies).transform(all -> Future.succeededFuture(merged));
  }

  /**
   * To a partition's own address. Only its owner listens there, so anything but {@link DedupReply.Served}
   * (no owner now, or the owner handing it over) means the partition is between owners: the client retries.
   * Never fails.
   */
  private Future<Outcomes> toPartition(String address, List<PipelineEvent> events) {
    return request(address, new EventBatch(events), false)
        .map(reply -> reply instanceof DedupReply.Served served ? served.outcomes()
            : Outcomes.all(events.size(), Outcome.SHUTTING_DOWN))
        .otherwise(lost -> Outcomes.all(events.size(), Outcome.SINK_FAILED));
  }

  private static KeyedBatch pick(List<PipelineEvent> events, DedupKey[] keys, List<Integer> positions) {
    List<PipelineEvent> picked = new ArrayList<>(positions.size());
    DedupKey[] pickedKeys = new DedupKey[positions.size()];
    for (int j = 0; j < positions.size(); j++) {
      picked.add(events.get(positions.get(j)));
      pickedKeys[j] = keys[positions.get(j)];
    }
    return new KeyedBatch(picked, pickedKeys);
  }

  private static void copy(Outcomes from, List<Integer> positions, Outcomes into) {
    for (int j = 0; j < positions.size(); j++) {
      into.set(positions.get(j), from.get(j));
    }
  }

  /**
   * The dedup stage's reply. No consumer at the address is {@link DedupReply#NOT_SERVED_HERE}: nobody serves the
   * events there. Fails when the message was lost, timed out or refused.
   *
   * @param batch a {@link KeyedBatch} ({@code localOnly}: its keys stay on this node) or an {@code EventBatch}
   */
  private Future<DedupReply> request(String address, Object batch, boolean localOnly) {
    return eventBus.<DedupReply>request(address, batch,
            Wire.sendOptions(timeoutMs).setLocalOnly(localOnly))
        .map(Message::body)
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(DedupReply.NOT_SERVED_HERE) : Future.failedFuture(failure));
  }
}
