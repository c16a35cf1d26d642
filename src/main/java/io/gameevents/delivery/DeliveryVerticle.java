package io.gameevents.delivery;

import io.gameevents.config.DeliveryConfig;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The delivery stage: gathers the events of many requests into sink-sized batches (by count,
 * bytes and a short linger), writes them, and answers each request only once the sink confirmed
 * its events. The number of events held here is bounded: past {@code max_in_flight_events} a
 * request is answered OVERLOADED at once, so memory stays bounded whatever the load.
 */
public class DeliveryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final DeliveryConfig config;
  private final Supplier<Sink> sinkFactory;
  private final int maxConcurrentWrites;

  private Sink sink;
  private SinkLimits limits;
  private MessageConsumer<EventBatch> consumer;
  private MessageConsumer<Object> healthConsumer;

  private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
  private long bufferedBytes;
  private int inFlightEvents;
  private int writesInProgress;
  private boolean flushDue;
  private long lingerTimer = -1;
  private boolean stopping;
  private Promise<Void> drained;

  public DeliveryVerticle(DeliveryConfig config, Supplier<Sink> sinkFactory, int maxConcurrentWrites) {
    this.config = config;
    this.sinkFactory = sinkFactory;
    this.maxConcurrentWrites = maxConcurrentWrites;
  }

  @Override
  public Future<?> start() {
    sink = sinkFactory.get();
    limits = sink.limits().min(new SinkLimits(config.maxBatchRecords(), config.maxBatchBytes(), Integer.MAX_VALUE));
    return sink.start().compose(started -> {
      consumer = vertx.eventBus().consumer(Pipeline.DELIVERY, this::onBatch);
      healthConsumer = vertx.eventBus().consumer(Pipeline.DELIVERY_HEALTH, this::onHealth);
      return consumer.completion().compose(done -> healthConsumer.completion());
    });
  }

  /** Delivers everything already taken (never drops an event it answered for), then closes the sink. */
  @Override
  public Future<?> stop() {
    stopping = true;
    drained = Promise.promise();
    flushDue = true;
    flush();
    checkDrained();
    return drained.future().compose(done -> sink.close());
  }

  private void onBatch(Message<EventBatch> message) {
    EventBatch batch = message.body();
    if (stopping) {
      message.reply(Outcomes.all(batch.size(), Outcome.SHUTTING_DOWN));
      return;
    }
    if (inFlightEvents + batch.size() > config.maxInFlightEvents()) {
      message.reply(Outcomes.all(batch.size(), Outcome.OVERLOADED));
      return;
    }
    inFlightEvents += batch.size();
    Reply reply = new Reply(message, batch.size());
    List<PipelineEvent> events = batch.events();
    for (int i = 0; i < events.size(); i++) {
      byte[] record = events.get(i).record();
      buffer.add(new Entry(reply, i, record));
      bufferedBytes += record.length + 1;
    }
    flush();
    if (!buffer.isEmpty() && lingerTimer < 0 && config.lingerMs() > 0) {
      lingerTimer = vertx.setTimer(config.lingerMs(), id -> {
        lingerTimer = -1;
        flushDue = true;
        flush();
      });
    } else if (!buffer.isEmpty() && config.lingerMs() == 0) {
      flushDue = true;
      flush();
    }
  }

  /** Starts writes while a slot is free and a batch is full or its linger is over. */
  private void flush() {
    while (writesInProgress < maxConcurrentWrites && !buffer.isEmpty() && (flushDue || batchIsFull())) {
      write(takeBatch());
    }
    if (buffer.isEmpty()) {
      flushDue = stopping;
      if (lingerTimer >= 0) {
        vertx.cancelTimer(lingerTimer);
        lingerTimer = -1;
      }
    }
  }

  private boolean batchIsFull() {
    return buffer.size() >= limits.maxRecords() || bufferedBytes >= limits.maxBatchBytes();
  }

  private List<Entry> takeBatch() {
    List<Entry> batch = new ArrayList<>(Math.min(buffer.size(), limits.maxRecords()));
    long bytes = 0;
    while (!buffer.isEmpty() && batch.size() < limits.maxRecords()) {
      long size = buffer.peek().record.length + 1;
      if (!batch.isEmpty() && bytes + size > limits.maxBatchBytes()) {
        break;
      }
      Entry entry = buffer.poll();
      bytes += size;
      bufferedBytes -= size;
      batch.add(entry);
    }
    return batch;
  }

  private void write(List<Entry> batch) {
    writesInProgress++;
    List<byte[]> records = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      records.add(entry.record);
    }
    Future<WriteResult> written;
    try {
      written = sink.write(records);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(result -> {
      if (result.failed()) {
        log.warn("sink write of {} records failed: {}", batch.size(), result.cause().toString());
      }
      for (int i = 0; i < batch.size(); i++) {
        boolean delivered = result.succeeded() && result.result().delivered(i);
        Entry entry = batch.get(i);
        entry.reply.complete(entry.index, delivered ? Outcome.ACCEPTED : Outcome.SINK_FAILED);
      }
      inFlightEvents -= batch.size();
      writesInProgress--;
      // group commit: what piled up while the sink was busy goes out right away
      flushDue = flushDue || !buffer.isEmpty();
      flush();
      checkDrained();
    });
  }

  private void checkDrained() {
    if (drained != null && inFlightEvents == 0 && writesInProgress == 0) {
      drained.tryComplete();
    }
  }

  private void onHealth(Message<Object> message) {
    SinkHealth health = sink.health();
    message.reply(new JsonObject()
        .put("ready", health.ready() && !stopping)
        .put("sink", config.sink())
        .put("detail", stopping ? "draining" : health.detail()));
  }

  private record Entry(Reply reply, int index, byte[] record) {
  }

  /** Collects the outcomes of one incoming message and replies when the last one is known. */
  private static final class Reply {
    private final Message<EventBatch> message;
    private final Outcomes outcomes;
    private int pending;

    Reply(Message<EventBatch> message, int size) {
      this.message = message;
      this.outcomes = Outcomes.of(size);
      this.pending = size;
    }

    void complete(int index, Outcome outcome) {
      outcomes.set(index, outcome);
      if (--pending == 0) {
        message.reply(outcomes);
      }
    }
  }
}
