package io.gameevents.dedup.routing;

import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.WireLimits;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** The codecs of the dedup stage's own message types ({@link DedupReply}, {@link DedupProbe}, {@link KeyedBatch}). */
public final class DedupCodecs {

  private DedupCodecs() {
  }

  /**
   * Registers them; call once per Vertx instance, beside {@code Wire.registerCodecs}, on every member:
   * an edge sends probes and reads replies, a worker reads probes and sends replies.
   */
  public static void register(Vertx vertx, WireLimits limits) {
    EventBus eventBus = vertx.eventBus();
    try {
      DedupReply.Codec.forEach(limits, eventBus::registerDefaultCodec);
      eventBus.registerDefaultCodec(DedupProbe.class, new DedupProbe.Codec());
      eventBus.registerDefaultCodec(KeyedBatch.class, new KeyedBatch.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second MainVerticle on the same Vertx (tests): the codecs are already there
    }
  }
}
