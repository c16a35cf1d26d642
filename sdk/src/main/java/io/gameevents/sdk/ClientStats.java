package io.gameevents.sdk;

/**
 * Counters of the batched path ({@code track}) since the client was created.
 *
 * @param queued     events waiting in the queue now (a batch in flight included)
 * @param accepted   events the server stored
 * @param duplicates events the server already had (a retry of a stored event): delivered too
 * @param rejected   events the server refused for good (not retried)
 * @param dropped    events not queued because the queue was full
 * @param failedBatches batch sends that failed (retry budget spent, or the whole batch refused, e.g. 401, 403,
 *                   415); their events stayed queued
 * @param suppressed events the server does not take because a privacy request suppressed their player: not
 *                   stored, not sent again
 * @param unknownStatus events the server answered (in a 2xx) with a status this SDK does not know: taken as final,
 *                   not sent again (logged once per value)
 * @param optedOut   events not sent because the player opted out: tracked while opted out, or still queued when
 *                   {@link GameEventClient#optOut()} was called
 */
public record ClientStats(int queued, long accepted, long duplicates, long rejected, long dropped,
                          long failedBatches, long suppressed, long unknownStatus, long optedOut) {

  /** Counters of a client that saw no suppressed event, no unknown status and no opt-out. */
  public ClientStats(int queued, long accepted, long duplicates, long rejected, long dropped, long failedBatches) {
    this(queued, accepted, duplicates, rejected, dropped, failedBatches, 0, 0, 0);
  }
}
