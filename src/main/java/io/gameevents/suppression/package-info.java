/**
 * The suppression list: which (app, player) and (app, device) pairs asked not to be tracked, as keyed digests only,
 * persisted on every node and carried between nodes with a proof of {@code cluster.secret}. Implements
 * {@link io.gameevents.privacy.Suppressions} for the ingest path; the privacy requests write it.
 */
package io.gameevents.suppression;
