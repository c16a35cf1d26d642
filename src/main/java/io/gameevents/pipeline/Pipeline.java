package io.gameevents.pipeline;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The whole flow in one place.
 *
 * <pre>
 *   HttpVerticle  --EventBatch--&gt;  dedup.&lt;n&gt;   (n = hash(app_id, event_id) mod dedup instances)
 *   DedupVerticle --EventBatch--&gt;  delivery      (round-robin over delivery instances)
 *   DeliveryVerticle batches, writes to the Sink, replies Outcomes once the sink confirmed.
 *   Outcomes travel back the same way: delivery -&gt; dedup (commit/release ids) -&gt; http (status code).
 * </pre>
 *
 * One message per HTTP request (per dedup partition), never one per event.
 */
public final class Pipeline {

  /** Prefix of the per-instance dedup addresses: an event id always lands on the same instance. */
  public static final String DEDUP_PREFIX = "game-events.dedup.";

  /** Delivery instances share one address; the event bus spreads messages round-robin. */
  public static final String DELIVERY = "game-events.delivery";

  /** Request/reply: the dedup stage's store figures as JSON; answered by any dedup instance. */
  public static final String DEDUP_HEALTH = "game-events.dedup.health";

  /** Request/reply: the sink's readiness as JSON {ready, sink, detail}; answered by any delivery instance. */
  public static final String DELIVERY_HEALTH = "game-events.delivery.health";

  private Pipeline() {
  }

  public static String dedupAddress(int partition) {
    return DEDUP_PREFIX + partition;
  }

  /** Registers the codecs of the pipeline's message types; call once per Vertx instance. */
  public static void registerCodecs(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(EventBatch.class, new EventBatch.Codec());
      vertx.eventBus().registerDefaultCodec(Outcomes.class, new Outcomes.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second MainVerticle on the same Vertx (tests): the codecs are already there
    }
  }

  public static DeliveryOptions sendOptions(long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs);
  }
}
