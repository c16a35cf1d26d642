package io.gameevents.delivery;

import java.io.IOException;

/**
 * The records a sink keeps on this node's disk, read back at start-up (blocking), so the dedup stage can remember
 * the ids of events stored after its journal was last made durable. Only accepted records: a sink never offers
 * another stream (refused events) through this.
 */
public interface StoredRecords {

  /**
   * Visits the app and event id of every record in the files modified at or after {@code sinceMillis} (wall clock),
   * with the file's modification time: a record was stored at that time or before. Returns the records visited.
   */
  long forEachSince(long sinceMillis, Visitor visitor) throws IOException;

  /** Receives one stored record's ids. */
  @FunctionalInterface
  interface Visitor {
    void visit(String appId, String eventId, long storedByMillis);
  }
}
