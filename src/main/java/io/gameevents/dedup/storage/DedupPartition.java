package io.gameevents.dedup.storage;

import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.OutcomeCollector;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One dedup partition while this instance owns it: the compact store of committed ids, their
 * journal, and the reservations of ids in flight. Touched only on the owning verticle's context.
 *
 * <p>Two-step: a new id is reserved when the event enters (kept in flight here, and already in the
 * store), committed (journalled) when the sink confirmed it, released (forgotten by the store)
 * when delivery failed, so the client's retry is accepted and not swallowed as a duplicate. A copy
 * that arrives while its original is in flight waits for the original's outcome: accepted becomes
 * DUPLICATE, a failure is passed on as the same failure.
 *
 * <p>Once {@link #stopAccepting()} is called the verticle admits no event any more, and
 * {@link #settled()} completes when the last reservation is resolved: only then may another
 * instance own the partition.
 */
public final class DedupPartition {

  /** Copies of one event waiting for its original; beyond this a copy is told to retry later. */
  static final int MAX_WAITERS_PER_ID = 16;
  /** The waiters of an id in flight that no copy waits for yet (shared, never added to). */
  private static final List<Waiter> NO_WAITERS = List.of();

  public final int id;
  public final BucketedDedupStore store;
  public final DedupJournal journal;
  private final InFlightBudget budget;
  private final Map<DedupKey, List<Waiter>> inFlight = new HashMap<>();
  private boolean accepting = true;
  private long restored;
  private Promise<Void> settled;
  /**
   * Every id this partition committed before this time is fsynced in its journal: at first the time it was taken
   * (what it loaded is on disk), then the start of each flush tick that fsynced it. Written and read on the
   * verticle's ordered worker only.
   */
  private long durableThrough;

  public DedupPartition(int id, BucketedDedupStore store, DedupJournal journal, InFlightBudget budget,
                        long takenAtMillis) {
    this.id = id;
    this.durableThrough = takenAtMillis;
    this.store = store;
    this.journal = journal;
    this.budget = budget;
  }

  /** The per-instance bound on reservations, shared by the instance's partitions. */
  public static final class InFlightBudget {
    private final int max;
    private int used;

    public InFlightBudget(int max) {
      this.max = max;
    }
  }

  /** Records how many ids were restored from the journal when the partition was taken. */
  public DedupPartition withRestored(long ids) {
    restored = ids;
    return this;
  }

  /** Every id committed before this time is fsynced in the journal (see the field). */
  public long durableThrough() {
    return durableThrough;
  }

  /** A flush tick that began at {@code tickStartMillis} fsynced this partition's journal. */
  public void durableThrough(long tickStartMillis) {
    durableThrough = tickStartMillis;
  }

  public long restored() {
    return restored;
  }

  public int inFlightIds() {
    return inFlight.size();
  }

  public boolean accepting() {
    return accepting;
  }

  /**
   * Checks one event of a batch: answers it at once (DUPLICATE, OVERLOADED), parks it behind its
   * original in flight, or reserves its id and returns true: the caller then delivers it and
   * calls {@link #settle} with the sink's outcome.
   */
  public boolean admit(DedupKey key, OutcomeCollector reply, int index) {
    List<Waiter> waiters = inFlight.get(key);
    if (waiters != null) {
      if (waiters.size() < MAX_WAITERS_PER_ID) {
        if (waiters == NO_WAITERS) {
          waiters = new ArrayList<>(2);
          inFlight.put(key, waiters);
        }
        waiters.add(new Waiter(reply, index)); // the original is in flight: answer as it ends
      } else {
        reply.complete(index, Outcome.OVERLOADED);
      }
      return false;
    }
    if (store.contains(key.hi(), key.lo())) {
      reply.complete(index, Outcome.DUPLICATE);
      return false;
    }
    if (budget.used >= budget.max) {
      reply.complete(index, Outcome.OVERLOADED);
      return false;
    }
    // Remembered now, while its slot is in the cache: it is found in flight before the store is asked, the journal
    // takes it only once the sink confirmed it, a hand-over waits until nothing is in flight, and a failed
    // delivery forgets it (settle).
    store.rememberAbsent(key.hi(), key.lo());
    inFlight.put(key, NO_WAITERS); // a list only for the rare copy that waits: not one per event
    budget.used++;
    return true;
  }

  /**
   * Reads, and changes nothing, the store's slots {@link #admit} will probe for {@code key}: a batch's keys touched
   * in one pass before its admissions take their cache misses together ({@link BucketedDedupStore#touchForLookup}).
   * The caller keeps the value, so the reads are not optimised away.
   */
  public long touchForAdmit(DedupKey key) {
    return store.touchForLookup(key.hi(), key.lo());
  }

  /**
   * Commits (journals) or releases (forgets) a reservation and answers everyone who waited on it. A commit does not
   * touch the store, whose slot for the id is long out of the cache by now: the id went in when it was admitted.
   */
  public void settle(DedupKey key, Outcome outcome) {
    List<Waiter> waiters = inFlight.remove(key);
    budget.used--;
    if (outcome == Outcome.ACCEPTED) {
      journal.append(System.currentTimeMillis(), key.hi(), key.lo());
    } else {
      store.forget(key.hi(), key.lo()); // the client's retry must be accepted, not answered duplicate
    }
    Outcome forWaiters = outcome == Outcome.ACCEPTED ? Outcome.DUPLICATE : outcome;
    for (int i = 0; i < waiters.size(); i++) {
      Waiter waiter = waiters.get(i);
      waiter.reply.complete(waiter.index, forWaiters);
    }
    if (settled != null && inFlight.isEmpty()) {
      settled.tryComplete();
    }
  }

  /** From now on no event is admitted; reservations in flight still settle. */
  public void stopAccepting() {
    accepting = false;
    if (settled == null) {
      settled = Promise.promise();
      if (inFlight.isEmpty()) {
        settled.complete();
      }
    }
  }

  /** Completes once no reservation is left (after {@link #stopAccepting()}). */
  public Future<Void> settled() {
    return settled.future();
  }

  private record Waiter(OutcomeCollector reply, int index) {
  }
}
