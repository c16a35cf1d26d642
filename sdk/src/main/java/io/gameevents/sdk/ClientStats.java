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
 */
public record ClientStats(int queued, long accepted, long duplicates, long rejected, long dropped,
                          long failedBatches) {
}
