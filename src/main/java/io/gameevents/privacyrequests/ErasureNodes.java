package io.gameevents.privacyrequests;

import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.Future;

import java.util.List;

/** The nodes an erasure runs on, and how one is asked to run its stores. */
public interface ErasureNodes {

  /** The nodes that hold records now, this one included. */
  List<String> nodes();

  /** Runs every store of {@code node} for {@code subject}: its receipts, or a failure saying what failed. */
  Future<List<StoreReceipt>> erase(String node, Subject subject);
}
