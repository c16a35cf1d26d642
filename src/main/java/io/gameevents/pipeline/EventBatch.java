package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  /** Local sends pass the object itself (no copy); clustered sends use a length-prefixed binary form. */
  public static final class Codec implements MessageCodec<EventBatch, EventBatch> {

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
      int count = buffer.getInt(pos);
      pos += 4;
      List<PipelineEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] appId = readBytes(buffer, pos);
        pos += 4 + appId.length;
        byte[] eventId = readBytes(buffer, pos);
        pos += 4 + eventId.length;
        byte[] record = readBytes(buffer, pos);
        pos += 4 + record.length;
        events.add(new PipelineEvent(new String(appId, StandardCharsets.UTF_8),
            new String(eventId, StandardCharsets.UTF_8), record));
      }
      return new EventBatch(List.copyOf(events));
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

    private static byte[] readBytes(Buffer buffer, int pos) {
      int length = buffer.getInt(pos);
      return buffer.getBytes(pos + 4, pos + 4 + length);
    }
  }
}
