package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Arrays;

/** The reply to an {@link EventBatch}: one outcome per event, in the batch's order. */
public final class Outcomes {

  private static final Outcome[] VALUES = Outcome.values();

  private final byte[] codes;

  private Outcomes(byte[] codes) {
    this.codes = codes;
  }

  /** Every slot starts as SINK_FAILED: an outcome nobody set can never turn into a 200. */
  public static Outcomes of(int size) {
    return all(size, Outcome.SINK_FAILED);
  }

  public static Outcomes all(int size, Outcome outcome) {
    byte[] codes = new byte[size];
    Arrays.fill(codes, (byte) outcome.ordinal());
    return new Outcomes(codes);
  }

  public Outcomes set(int index, Outcome outcome) {
    codes[index] = (byte) outcome.ordinal();
    return this;
  }

  public Outcome get(int index) {
    return VALUES[codes[index]];
  }

  public int size() {
    return codes.length;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Outcomes[");
    for (int i = 0; i < codes.length; i++) {
      text.append(i == 0 ? "" : ",").append(get(i));
    }
    return text.append(']').toString();
  }

  /** Clustered replies: a count and one byte per event, read back within the members' {@link WireLimits}. */
  public static final class Codec implements MessageCodec<Outcomes, Outcomes> {

    private final WireLimits limits;

    public Codec(WireLimits limits) {
      this.limits = limits;
    }

    @Override
    public void encodeToWire(Buffer buffer, Outcomes outcomes) {
      buffer.appendInt(outcomes.codes.length).appendBytes(outcomes.codes);
    }

    @Override
    public Outcomes decodeFromWire(int pos, Buffer buffer) {
      WireReader in = new WireReader(buffer, pos);
      byte[] codes = new byte[in.count(limits.maxEvents(), 1, "outcomes")];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = in.readByte("outcome");
        if (codes[i] < 0 || codes[i] >= VALUES.length) {
          throw new WireFormatException("outcome " + codes[i] + " is none of the " + VALUES.length + " known");
        }
      }
      return new Outcomes(codes);
    }

    @Override
    public Outcomes transform(Outcomes outcomes) {
      return outcomes;
    }

    @Override
    public String name() {
      return "game-events.outcomes";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
