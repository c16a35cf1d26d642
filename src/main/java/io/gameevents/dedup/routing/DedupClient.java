package io.gameevents.dedup.routing;

import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The HTTP stage's one way into the dedup stage: {@link #admit} hands a request's valid events over, one message
 * per owner the events' partitions have ({@link OwnerTable}), usually one, and merges the replies back into request
 * order. Every message goes to an owner's instance address, whose node is known, never to an address the cluster
 * resolves: a clustered message that reaches a node after its consumer went is dropped without a reply, so the
 * sender must know which node to watch ({@link #watched}).
 *
 * <p>An owner that does not serve the events ({@link DedupReply#NOT_SERVED_HERE}: the table was stale), or a
 * partition without a known owner, makes the table read the owner map again, and the events go once more to the
 * owner it names now. Anything else (no owner still, the same owner, a partition {@link DedupReply#MOVING}, a node
 * that left) means the partition is between owners: the client is told to retry (SHUTTING_DOWN, a 503).
 */
public final class DedupClient {

  /**
   * How long requests to a node that left the cluster still wait, for a reply already on its way: a draining node
   * answers everything it admitted before it leaves, but the answer and the news of its leaving travel apart.
   */
  static final long LEFT_NODE_GRACE_MS = 1_000;

  private final Vertx vertx;
  private final int partitions;
  private final long timeoutMs;
  private final OwnerTable owners;
  private final DedupHasher hasher;
  /** Whether a node is a cluster member right now ({@link io.gameevents.cluster.Membership#isMember}). */
  private final Predicate<String> isMember;
  /** Requests to other nodes still unanswered, by node; the nodes that had left at the last look. */
  private final Map<String, Set<Promise<DedupReply>>> pendingByNode = new ConcurrentHashMap<>();
  private Set<String> leftAtLastLook = Set.of();
  private long watching = -1;

  public DedupClient(Vertx vertx, int partitions, long timeoutMs, OwnerTable owners, DedupHasher hasher,
                     Predicate<String> isMember) {
    this.vertx = vertx;
    this.partitions = partitions;
    this.timeoutMs = timeoutMs;
    this.owners = owners;
    this.hasher = hasher;
    this.isMember = isMember;
  }

  /**
   * The events' outcomes, in their order: each one reserved, found a duplicate, or not taken (and why). Each id is
   * hashed here once: its key picks the partition and, for an owner on this node, travels with the event
   * ({@link KeyedBatch}).
   */
  public Future<Outcomes> admit(List<PipelineEvent> events) {
    DedupKey[] keys = new DedupKey[events.size()];
    for (int i = 0; i < events.size(); i++) {
      keys[i] = hasher.key(events.get(i).appId(), events.get(i).eventId());
    }
    return route(new KeyedBatch(events, keys), Send.FIRST, null);
  }

  /** The first send goes where the table says; the last, after the table read the owner map again. */
  private enum Send { FIRST, LAST }

  /**
   * Each event to the owner the table names for its partition, one message per owner. On the last send, an event
   * whose owner is still unknown, or is still the one that did not serve it ({@code refusedBy}, its address, or
   * null), is told to retry. Never fails.
   */
  private Future<Outcomes> route(KeyedBatch batch, Send send, String refusedBy) {
    OwnerTable.Owner[] ownerOf = new OwnerTable.Owner[batch.keys().length];
    boolean oneOwner = true;
    for (int i = 0; i < ownerOf.length; i++) {
      OwnerTable.Owner owner = owners.ownerOf(batch.keys()[i].partition(partitions));
      ownerOf[i] = owner == null || owner.address().equals(refusedBy) ? null : owner;
      oneOwner &= ownerOf[i] != null && ownerOf[i] == ownerOf[0];
    }
    if (oneOwner && ownerOf.length > 0) { // the common case: the table holds one instance per owner
      return sendTo(ownerOf[0], batch, send);
    }
    Map<OwnerTable.Owner, List<Integer>> byOwner = new LinkedHashMap<>();
    List<Integer> unowned = new ArrayList<>(0);
    for (int i = 0; i < ownerOf.length; i++) {
      if (ownerOf[i] == null) {
        unowned.add(i);
      } else {
        byOwner.computeIfAbsent(ownerOf[i], o -> new ArrayList<>()).add(i);
      }
    }
    Outcomes merged = Outcomes.of(batch.events().size());
    List<Future<Outcomes>> replies = new ArrayList<>(byOwner.size() + 1);
    byOwner.forEach((owner, positions) -> replies.add(sendTo(owner, pick(batch, positions), send)
        .onSuccess(outcomes -> copy(outcomes, positions, merged))));
    if (!unowned.isEmpty()) {
      KeyedBatch picked = pick(batch, unowned);
      Future<Outcomes> answered = send == Send.LAST ? retry(picked)
          : owners.reread().compose(read -> route(picked, Send.LAST, null));
      replies.add(answered.onSuccess(outcomes -> copy(outcomes, unowned, merged)));
    }
    return Future.join(replies).transform(all -> Future.succeededFuture(merged));
  }

  /** Only an owner on this node is sent the keys; another node hashes the ids itself. Never fails. */
  private Future<Outcomes> sendTo(OwnerTable.Owner owner, KeyedBatch batch, Send send) {
    Object body = owner.local() ? batch : new EventBatch(batch.events());
    return request(owner, body).compose(reply -> {
      if (reply instanceof DedupReply.Served served) {
        return Future.succeededFuture(served.outcomes());
      }
      if (reply instanceof DedupReply.NotServedHere && send == Send.FIRST) {
        return owners.reread().compose(read -> route(batch, Send.LAST, owner.address()));
      }
      return retry(batch);
    }).otherwise(lost -> Outcomes.all(batch.events().size(),
        lost instanceof NodeLeft ? Outcome.SHUTTING_DOWN : Outcome.SINK_FAILED));
  }

  /** The partitions are between owners (or their owner's node left): the client retries later. */
  private static Future<Outcomes> retry(KeyedBatch batch) {
    return Future.succeededFuture(Outcomes.all(batch.events().size(), Outcome.SHUTTING_DOWN));
  }

  /**
   * The owner's reply. No consumer at its address is {@link DedupReply#NOT_SERVED_HERE}. Fails when the message
   * was lost, timed out or refused, and ({@link NodeLeft}) when the owner's node left the cluster.
   */
  private Future<DedupReply> request(OwnerTable.Owner owner, Object body) {
    if (!owner.local() && !isMember.test(owner.node())) {
      return Future.failedFuture(NodeLeft.INSTANCE);
    }
    Future<DedupReply> reply = vertx.eventBus().<DedupReply>request(owner.address(), body,
            Wire.sendOptions(timeoutMs).setLocalOnly(owner.local()))
        .map(Message::body)
        .recover(failure -> failure instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(DedupReply.NOT_SERVED_HERE) : Future.failedFuture(failure));
    return owner.local() ? reply : watched(owner.node(), reply);
  }

  /**
   * A request to another node that fails once that node has left the cluster, rather than at its timeout
   * ({@code http.request_timeout_ms}): a message the node never handled, because it arrived after its consumer
   * went or was in the connection when it closed, gets no reply at all. It is failed only after
   * {@link #LEFT_NODE_GRACE_MS}, seen gone at two looks that far apart.
   */
  private synchronized Future<DedupReply> watched(String node, Future<DedupReply> reply) {
    Promise<DedupReply> answer = Promise.promise();
    Set<Promise<DedupReply>> pending = pendingByNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
    pending.add(answer);
    answer.future().onComplete(done -> pending.remove(answer));
    reply.onComplete(done -> {
      if (done.succeeded()) {
        answer.tryComplete(done.result());
      } else {
        answer.tryFail(done.cause());
      }
    });
    if (watching < 0) {
      watching = vertx.setPeriodic(LEFT_NODE_GRACE_MS, id -> failRequestsToLeftNodes());
    }
    return answer.future();
  }

  /** Fails the requests pending on nodes gone at this look and the last; stops looking when none is pending. */
  private synchronized void failRequestsToLeftNodes() {
    Set<String> left = new HashSet<>();
    pendingByNode.forEach((node, pending) -> {
      if (pending.isEmpty()) {
        pendingByNode.remove(node, pending);
      } else if (!isMember.test(node)) {
        left.add(node);
        if (leftAtLastLook.contains(node)) {
          pending.forEach(answer -> answer.tryFail(NodeLeft.INSTANCE));
        }
      }
    });
    leftAtLastLook = left;
    if (pendingByNode.isEmpty()) {
      vertx.cancelTimer(watching);
      watching = -1;
    }
  }

  private static KeyedBatch pick(KeyedBatch batch, List<Integer> positions) {
    List<PipelineEvent> picked = new ArrayList<>(positions.size());
    DedupKey[] pickedKeys = new DedupKey[positions.size()];
    for (int j = 0; j < positions.size(); j++) {
      picked.add(batch.events().get(positions.get(j)));
      pickedKeys[j] = batch.keys()[positions.get(j)];
    }
    return new KeyedBatch(picked, pickedKeys);
  }

  private static void copy(Outcomes from, List<Integer> positions, Outcomes into) {
    for (int j = 0; j < positions.size(); j++) {
      into.set(positions.get(j), from.get(j));
    }
  }

  /** The owner's node left the cluster before it answered. */
  private static final class NodeLeft extends RuntimeException {
    static final NodeLeft INSTANCE = new NodeLeft();

    private NodeLeft() {
      super("the owner's node left the cluster", null, false, false);
    }
  }
}
