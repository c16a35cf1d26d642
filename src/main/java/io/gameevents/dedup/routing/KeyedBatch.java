package io.gameevents.dedup.routing;

import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.List;

/**
 * Events for a dedup instance on this node, each with the key {@link DedupClient} computed to pick its partition,
 * so the instance does not hash the ids again. It never leaves the node: the client sends one only to an owner on
 * this node, local-only, and its codec writes and reads no bytes. A batch from another node is an
 * {@code EventBatch}, hashed by the instance that reads it: a key from the wire is never trusted.
 *
 * @param keys each event's key, in the events' order, under the node's one {@link DedupHasher}
 */
public record KeyedBatch(List<PipelineEvent> events, DedupKey[] keys) {

  public KeyedBatch {
    if (keys.length != events.size()) {
      throw new IllegalArgumentException(events.size() + " events but " + keys.length + " keys");
    }
  }

  /** The events with their keys computed here. */
  public static KeyedBatch of(List<PipelineEvent> events, DedupHasher hasher) {
    DedupKey[] keys = new DedupKey[events.size()];
    for (int i = 0; i < keys.length; i++) {
      PipelineEvent event = events.get(i);
      keys[i] = hasher.key(event.appId(), event.eventId());
    }
    return new KeyedBatch(events, keys);
  }

  /** Passes the batch itself between verticles of a node; refuses to put one on the wire or read one from it. */
  public static final class Codec implements MessageCodec<KeyedBatch, KeyedBatch> {

    @Override
    public void encodeToWire(Buffer buffer, KeyedBatch batch) {
      throw new IllegalStateException("a keyed batch is sent local-only: its keys are trusted only on their node");
    }

    @Override
    public KeyedBatch decodeFromWire(int pos, Buffer buffer) {
      throw new WireFormatException("a keyed batch never crosses the network");
    }

    @Override
    public KeyedBatch transform(KeyedBatch batch) {
      return batch;
    }

    @Override
    public String name() {
      return "game-events.dedup-keyed-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
