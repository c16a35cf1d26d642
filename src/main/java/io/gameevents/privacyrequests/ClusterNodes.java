package io.gameevents.privacyrequests;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.Membership;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nodes of a cluster: an erasure asks each proven member, on its own address, to run its stores, with a proof of
 * {@code cluster.secret} over the request (the raw id travels only to members that hold the secret, over the event
 * bus, and a process without it can make no node erase). Each node answers with its receipts.
 */
public final class ClusterNodes implements ErasureNodes {

  static final String ADDRESS_PREFIX = "game-events.privacy.erase.";
  private static final String KIND = "privacy-erase";
  /** A node's stores rewrite files: give them time before the request is asked again. */
  private static final long TIMEOUT_MS = 10 * 60_000;

  private final Vertx vertx;
  private final Membership members;
  private final NodeStores stores;
  private final ClusterKey key;
  private final UnprovenEntries unproven;

  public ClusterNodes(Vertx vertx, Membership members, NodeStores stores) {
    this.vertx = vertx;
    this.members = members;
    this.stores = stores;
    this.key = members.key();
    this.unproven = members.unproven();
  }

  /** Serves this node's stores to the other members' erasures. */
  public void start() {
    vertx.eventBus().<JsonObject>consumer(ADDRESS_PREFIX + members.selfId(), message -> {
      Subject subject = verify(message.body());
      if (subject == null) {
        unproven.suppression();
        message.fail(403, "no valid proof of cluster.secret");
        return;
      }
      vertx.executeBlocking(() -> stores.eraseAll(subject), false).onComplete(done -> {
        if (done.failed()) {
          message.fail(500, String.valueOf(done.cause().getMessage()));
        } else {
          JsonArray receipts = new JsonArray();
          done.result().forEach(r -> receipts.add(new JsonObject().put("store", r.store())
              .put("records_removed", r.recordsRemoved()).put("files_rewritten", r.filesRewritten())
              .put("finished_at", r.finishedAt().toString()).put("note", r.note())));
          message.reply(receipts);
        }
      });
    });
  }

  @Override
  public List<String> nodes() {
    List<String> ids = new ArrayList<>();
    members.nodes().forEach(node -> ids.add(node.id()));
    if (!ids.contains(members.selfId())) {
      ids.add(members.selfId());
    }
    return ids;
  }

  @Override
  public Future<List<StoreReceipt>> erase(String node, Subject subject) {
    if (node.equals(members.selfId())) {
      return vertx.executeBlocking(() -> stores.eraseAll(subject), false);
    }
    if (!members.isMember(node)) {
      return Future.failedFuture("node " + node + " is not a member of the cluster now");
    }
    JsonObject ask = new JsonObject().put("app_id", subject.appId())
        .put("kind", subject.kind().name()).put("id", subject.id());
    ask.put("proof", key.prove(KIND, subject.appId(), subject.kind().name(), subject.id()));
    return vertx.eventBus().<JsonArray>request(ADDRESS_PREFIX + node, ask,
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .recover(failed -> Future.failedFuture(failed instanceof ReplyException reply
            ? "node " + node + ": " + reply.getMessage() : String.valueOf(failed.getMessage())))
        .map(reply -> {
          List<StoreReceipt> receipts = new ArrayList<>();
          for (Object item : reply.body()) {
            JsonObject r = (JsonObject) item;
            receipts.add(new StoreReceipt(r.getString("store"), r.getLong("records_removed"),
                r.getInteger("files_rewritten"), Instant.parse(r.getString("finished_at")), r.getString("note")));
          }
          return receipts;
        });
  }

  private Subject verify(JsonObject ask) {
    try {
      String appId = ask.getString("app_id");
      String kind = ask.getString("kind");
      String id = ask.getString("id");
      if (appId == null || kind == null || id == null
          || !key.verifies(ask.getString("proof"), KIND, appId, kind, id)) {
        return null;
      }
      return new Subject(appId, Subject.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), id);
    } catch (ClassCastException | IllegalArgumentException notOurs) {
      return null;
    }
  }
}
