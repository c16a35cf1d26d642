package io.gameevents.config;

/**
 * How the stages' timeouts nest, so that a 503 is never followed by a late success. Derived once
 * from the config: the start-up check and the deployment read the same figures.
 *
 * <ul>
 *   <li>HTTP waits {@code requestMs} for a request's outcomes;</li>
 *   <li>dedup gives up on delivery a little earlier ({@code dedupToDeliveryMs}) so it can release
 *       the ids before HTTP answers;</li>
 *   <li>delivery only starts a write that the sink can finish ({@code sinkDeadlineMs}, retries
 *       included) before dedup gives up: {@code startWritingWithinMs} after the batch arrived.</li>
 * </ul>
 *
 * @param sinkDeadlineMs the deadline of what a 200 waits for: the remote sink's in {@code sink} mode;
 *                       0 for the local file sink and the spool (an fsync has no deadline of its own)
 */
public record Timeouts(long requestMs, long dedupToDeliveryMs, long sinkDeadlineMs, long startWritingWithinMs,
                       String sinkName) {

  /** Margin kept between the sink's deadline and the request's. */
  static final long SINK_MARGIN_MS = 2_000;

  /**
   * @param sinkDeadline how long a write to the sink may take, retries included, before the request is
   *                     answered (0 when the answer waits for the spool only)
   */
  public static Timeouts of(HttpConfig http, long sinkDeadline, String sinkName) {
    long request = http.requestTimeoutMs();
    long dedupToDelivery = request - Math.min(1000, request / 10);
    long startWritingWithin = Math.max(1, dedupToDelivery - sinkDeadline - 500);
    return new Timeouts(request, dedupToDelivery, sinkDeadline, startWritingWithin, sinkName);
  }

  /** Fails start-up when the sink's deadline leaves the request no time to answer honestly. */
  public void check() {
    if (sinkDeadlineMs > 0 && sinkDeadlineMs + SINK_MARGIN_MS > requestMs) {
      throw new ConfigException("config key 'delivery." + sinkName + ".delivery_deadline_ms' must be at least "
          + SINK_MARGIN_MS + " below http.request_timeout_ms (" + requestMs + "), or clients would be told 503 for"
          + " events still being delivered");
    }
  }
}
