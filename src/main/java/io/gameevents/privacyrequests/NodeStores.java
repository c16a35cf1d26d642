package io.gameevents.privacyrequests;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's stores, run one after the other for a subject (blocking: on a worker). A store that fails stops the
 * run with its name; the whole run is repeated later, which the stores allow (they are idempotent).
 */
public final class NodeStores {

  /** The dedup journal holds keyed digests of (app_id, event_id), no player or device id: nothing to rewrite. */
  static final String DEDUP_JOURNAL = "dedup-journal";

  private final List<ErasableStore> stores;
  private final boolean keepsDedupJournal;
  private final Clock clock;

  /** @param keepsDedupJournal this node runs dedup: its receipt says what the journal keeps */
  public NodeStores(List<ErasableStore> stores, boolean keepsDedupJournal, Clock clock) {
    this.stores = List.copyOf(stores);
    this.keepsDedupJournal = keepsDedupJournal;
    this.clock = clock;
  }

  public List<StoreReceipt> eraseAll(Subject subject) throws IOException {
    List<StoreReceipt> receipts = new ArrayList<>();
    for (ErasableStore store : stores) {
      try {
        receipts.add(store.erase(subject));
      } catch (IOException | RuntimeException e) {
        throw new IOException("store " + store.name() + " failed: " + e.getMessage(), e);
      }
    }
    if (keepsDedupJournal) {
      receipts.add(new StoreReceipt(DEDUP_JOURNAL, 0, 0, clock.instant(), "keeps only keyed digests of (app_id, "
          + "event_id), never a player or device id: nothing of the subject to remove; digests age out of the window"));
    }
    return receipts;
  }
}
