package io.gameevents.privacy;

import java.time.Instant;
import java.util.Objects;

/**
 * What one store of one node did for an erasure: the line of the receipt a studio shows its player.
 *
 * @param store          the store's name ({@code lake}, {@code spool}, {@code debugger}, {@code refused}, {@code warehouse}, ...)
 * @param recordsRemoved the subject's records removed (or, for a store that filters on the way out, made unreachable)
 * @param filesRewritten files replaced by a copy without the subject's records
 * @param finishedAt     when the store finished
 * @param note           what an operator should know in words (for example "tombstone sent: the warehouse applies
 *                       it on its next task run"), never the raw id; empty when there is nothing to add
 */
public record StoreReceipt(String store, long recordsRemoved, int filesRewritten, Instant finishedAt, String note) {

  public StoreReceipt {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(finishedAt, "finishedAt");
    note = note == null ? "" : note;
  }
}
