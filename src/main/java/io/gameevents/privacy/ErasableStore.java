package io.gameevents.privacy;

import java.io.IOException;

/**
 * A place on this node that holds records and can remove one subject's. Implemented by each stage that keeps
 * records (the file sink's lake, the spool, the debugger's buffer, the kept refused events), registered at the
 * composition root, and driven by the privacy request that erases a subject on every node.
 *
 * <p>Runs on a worker thread (blocking I/O is fine). Must be idempotent: a request interrupted by a crash runs
 * {@link #erase} again on restart, and that second run must leave the same result. Must never lose another
 * subject's record: a file is replaced atomically by its rewritten copy, or left as it was.
 */
public interface ErasableStore {

  /** A short stable name for the receipt, e.g. {@code lake}. */
  String name();

  StoreReceipt erase(Subject subject) throws IOException;
}
