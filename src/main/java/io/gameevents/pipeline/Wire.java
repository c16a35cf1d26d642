package io.gameevents.pipeline;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the messages between stages travel: the codecs of their types ({@link EventBatch}, {@link Outcomes}), the
 * answer to one whose bytes broke the format, the options a send uses. Where they travel is {@link Pipeline}.
 */
public final class Wire {

  private static final Logger log = LoggerFactory.getLogger(Wire.class);

  private Wire() {
  }

  /**
   * Registers the codecs of the pipeline's message types; call once per Vertx instance. Messages from
   * other members are read within {@code limits}, which every member shares (compared at join).
   */
  public static void registerCodecs(Vertx vertx, WireLimits limits) {
    try {
      vertx.eventBus().registerDefaultCodec(EventBatch.class, new EventBatch.Codec(limits));
      vertx.eventBus().registerDefaultCodec(Outcomes.class, new Outcomes.Codec(limits));
    } catch (IllegalStateException alreadyRegistered) {
      // a second MainVerticle on the same Vertx (tests): the codecs are already there
    }
  }

  /**
   * Answers a message whose bytes broke the wire format ({@link #registerCodecs}) with a failure, so its
   * sender (a forger, or a member that escaped the join check) learns it at once instead of timing out.
   */
  public static void refuse(Message<?> message, WireFormatException e) {
    log.warn("refused a clustered message to {}: {}", message.address(), e.getMessage());
    message.fail(400, e.getMessage());
  }

  /** A send between stages: answered within {@code timeoutMs}, or failed (the caller answers 503). */
  public static DeliveryOptions sendOptions(long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs);
  }
}
