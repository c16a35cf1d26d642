package io.gameevents.config;

/**
 * The spool in front of a remote sink ({@code delivery.ack = spool}): fsynced segments in
 * {@code directory}, written by the delivery stage and shipped on by the forwarder.
 *
 * @param maxBytes      spool size at which new requests get 503 (nothing already spooled is dropped)
 * @param minFreeBytes  free disk below which new requests get 503 too, whatever the spool's size
 * @param maxAgeHours   an unforwarded record older than this raises an alert; it is still forwarded
 * @param segmentBytes  a segment is closed (and can be forwarded) at this size...
 * @param segmentSeconds ...or this long after it was opened
 * @param forwardInstances forwarder verticle instances on this node (each ships its share of segments)
 */
public record SpoolConfig(String directory, long maxBytes, long minFreeBytes, long maxAgeHours, long segmentBytes,
                          long segmentSeconds, int forwardInstances) {

  public static SpoolConfig from(Section spool, Section forward) {
    SpoolConfig config = new SpoolConfig(
        spool.string("directory", "data/spool"),
        spool.longValue("max_bytes", 8L << 30, 1L << 16, 1L << 50),
        spool.longValue("min_free_bytes", 1L << 30, 0, 1L << 50),
        spool.longValue("max_age_hours", 24, 1, 24 * 365),
        spool.longValue("segment_bytes", 64L << 20, 1024, 1L << 32),
        spool.longValue("segment_seconds", 2, 1, 3600),
        forward.intValue("instances", 1, 1, 64));
    spool.done();
    forward.done();
    return config;
  }
}
