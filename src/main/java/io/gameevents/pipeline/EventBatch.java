package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The events of one request (or of one dedup partition of it). Immutable once sent. */
public record EventBatch(List<PipelineEvent> events) {

  public int size() {
    return events.size();
  }

  public long recordBytes() {
    long bytes = 0;
    for (PipelineEvent event : events) {
      bytes += event.record().length;
    }
    return bytes;
  }

  /**
   * Local sends pass the object itself (no copy); clustered sends use a length-prefixed binary form, read
   * back within the members' {@link WireLimits} (a violation is a {@link WireFormatException}).
   */
  public static final class Codec implements MessageCodec<EventBatch, EventBatch> {

    /** Three 4-byte lengths: the least an event takes on the wire. */
    private static final int MIN_EVENT_BYTES = 12;

    private final WireLimits limits;

    public Codec(WireLimits limits) {
      this.limits = limits;
    }

    @Override
    public void encodeToWire(Buffer buffer, EventBatch batch) {
      buffer.appendInt(batch.events.size());
      for (PipelineEvent event : batch.events) {
        appendBytes(buffer, event.appId().getBytes(StandardCharsets.UTF_8));
        appendBytes(buffer, event.eventId().getBytes(StandardCharsets.UTF_8));
        appendBytes(buffer, event.record());
      }
    }

    @Override
    public EventBatch decodeFromWire(int pos, Buffer buffer) {
      WireReader in = new WireReader(buffer, pos);
      int count = in.count(limits.maxEvents(), MIN_EVENT_BYTES, "events");
      PipelineEvent[] events = new PipelineEvent[count];
      for (int i = 0; i < count; i++) {
        String appId = new String(in.bytes(WireLimits.MAX_ID_BYTES, "app id"), StandardCharsets.UTF_8);
        String eventId = new String(in.bytes(WireLimits.MAX_ID_BYTES, "event id"), StandardCharsets.UTF_8);
        events[i] = new PipelineEvent(appId, eventId, in.bytes(limits.maxRecordBytes(), "record"));
      }
      return new EventBatch(List.of(events));
    }

    @Override
    public EventBatch transform(EventBatch batch) {
      return batch;
    }

    @Override
    public String name() {
      return "game-events.event-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }

    private static void appendBytes(Buffer buffer, byte[] bytes) {
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }
  }
}
