package io.gameevents.dedup.routing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A readiness probe at a partition's own address: only the partition's current owner listens there, and it
 * answers with the partition's state as JSON ({@code partition}, {@code owner}, {@code accepting}). A probe
 * travels the address an event of the partition would take, so a probe's answer is what a request would meet.
 */
public record DedupProbe() {

  public static final DedupProbe INSTANCE = new DedupProbe();

  /** The probe has no content: nothing on the wire, nothing allocated when read. */
  public static final class Codec implements MessageCodec<DedupProbe, DedupProbe> {

    @Override
    public void encodeToWire(Buffer buffer, DedupProbe probe) {
    }

    @Override
    public DedupProbe decodeFromWire(int pos, Buffer buffer) {
      return INSTANCE;
    }

    @Override
    public DedupProbe transform(DedupProbe probe) {
      return probe;
    }

    @Override
    public String name() {
      return "game-events.dedup-probe";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
