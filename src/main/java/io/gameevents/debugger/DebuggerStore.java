package io.gameevents.debugger;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;

import java.time.Clock;

/** The debugger's buffer as an erasable store: the subject's entries leave every stream and every replay. */
public final class DebuggerStore implements ErasableStore {

  public static final String NAME = "debugger";

  private final Debugger debugger;
  private final Clock clock;

  public DebuggerStore(Debugger debugger, Clock clock) {
    this.debugger = debugger;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreReceipt erase(Subject subject) {
    int removed = debugger.ring().erase(entry -> entry.belongsTo(subject));
    return new StoreReceipt(NAME, removed, 0, clock.instant(), "entries removed from the buffer and from every"
        + " stream's replay; a stream that already showed one cannot take it back");
  }
}
