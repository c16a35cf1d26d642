package io.gameevents.dedup.routing;

import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.WireFormatException;
import io.gameevents.pipeline.WireLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The dedup stage's answer to an {@link io.gameevents.pipeline.EventBatch} at one of its addresses. Only
 * {@link Served} carries outcomes a client may see; the other two say that no event of the batch was looked
 * at, and why, so the sender decides what to do instead of reading a routing signal out of an outcome.
 */
public sealed interface DedupReply {

  /** Not every event's partition is served at the address the batch came to: the sender's owner table was stale. */
  DedupReply NOT_SERVED_HERE = new NotServedHere();

  /** The partition is being handed over to its next owner: nobody admits its events until the next owner serves it. */
  DedupReply MOVING = new Moving();

  /** Every event of the batch was admitted by its partition: one outcome per event, in the batch's order. */
  record Served(Outcomes outcomes) implements DedupReply {
  }

  /** See {@link #NOT_SERVED_HERE}. */
  record NotServedHere() implements DedupReply {
  }

  /** See {@link #MOVING}. */
  record Moving() implements DedupReply {
  }

  /**
   * Clustered replies: one tag byte, then for {@link Served} its outcomes in {@link Outcomes.Codec}'s form,
   * read back within the members' {@link WireLimits}. The event bus picks a default codec by the body's exact
   * class, so each variant has a codec of its own name ({@link #forEach}); every one of them reads any variant.
   */
  final class Codec<T extends DedupReply> implements MessageCodec<T, DedupReply> {

    private static final byte SERVED = 0;
    private static final byte NOT_SERVED = 1;
    private static final byte BEING_MOVED = 2;

    private final Outcomes.Codec outcomes;
    private final String name;

    private Codec(WireLimits limits, String variant) {
      this.outcomes = new Outcomes.Codec(limits);
      this.name = "game-events.dedup-reply." + variant;
    }

    /** One codec per variant class, for {@code EventBus.registerDefaultCodec}. */
    public static void forEach(WireLimits limits, Registrar registrar) {
      registrar.register(Served.class, new Codec<>(limits, "served"));
      registrar.register(NotServedHere.class, new Codec<>(limits, "not-served-here"));
      registrar.register(Moving.class, new Codec<>(limits, "moving"));
    }

    /** Registers {@code codec} as the default codec of {@code variant}. */
    public interface Registrar {
      <T extends DedupReply> void register(Class<T> variant, Codec<T> codec);
    }

    @Override
    public void encodeToWire(Buffer buffer, T reply) {
      if (reply instanceof Served served) {
        buffer.appendByte(SERVED);
        outcomes.encodeToWire(buffer, served.outcomes());
      } else {
        buffer.appendByte(reply instanceof NotServedHere ? NOT_SERVED : BEING_MOVED);
      }
    }

    @Override
    public DedupReply decodeFromWire(int pos, Buffer buffer) {
      if (pos < 0 || pos >= buffer.length()) {
        throw new WireFormatException("dedup reply: no tag byte at " + pos + " of a " + buffer.length()
            + "-byte buffer");
      }
      byte tag = buffer.getByte(pos);
      return switch (tag) {
        case SERVED -> new Served(outcomes.decodeFromWire(pos + 1, buffer));
        case NOT_SERVED -> NOT_SERVED_HERE;
        case BEING_MOVED -> MOVING;
        default -> throw new WireFormatException("dedup reply: tag " + tag + " is none of the 3 known");
      };
    }

    @Override
    public DedupReply transform(T reply) {
      return reply; // immutable once sent
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
