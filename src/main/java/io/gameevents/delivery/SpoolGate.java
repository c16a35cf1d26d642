package io.gameevents.delivery;

import io.vertx.core.json.JsonObject;

/**
 * What the delivery stage needs of the spool it acknowledges from ({@code delivery.ack = spool}); the
 * forward stage's {@code Spool} is the one implementation.
 */
public interface SpoolGate {

  /** Whether a new batch may be spooled (under spool.max_bytes, the disk above its floor). */
  boolean accepting();

  /** Why not, for the log and /ready. */
  String fullReason();

  /** A delivery instance fsynced this many bytes to its segment. */
  void written(long bytes);

  /** The remote sink's state as the forwarder sees it. */
  SinkState remoteState();

  /** The spool's figures for /health/sink: bytes, segments, the oldest record's age... */
  JsonObject figures();
}
