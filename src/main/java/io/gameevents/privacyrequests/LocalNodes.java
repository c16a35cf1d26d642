package io.gameevents.privacyrequests;

import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/** A single node: the erasure runs this node's stores, on a worker. */
public final class LocalNodes implements ErasureNodes {

  private final Vertx vertx;
  private final String self;
  private final NodeStores stores;

  public LocalNodes(Vertx vertx, String self, NodeStores stores) {
    this.vertx = vertx;
    this.self = self;
    this.stores = stores;
  }

  @Override
  public List<String> nodes() {
    return List.of(self);
  }

  @Override
  public Future<List<StoreReceipt>> erase(String node, Subject subject) {
    if (!node.equals(self)) {
      return Future.failedFuture("node " + node + " is not this node");
    }
    return vertx.executeBlocking(() -> stores.eraseAll(subject), false);
  }
}
