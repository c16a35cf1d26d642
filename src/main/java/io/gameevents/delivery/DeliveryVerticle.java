package io.gameevents.delivery;

import io.gameevents.node.NodeContext;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.OutcomeCollector;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireFormatException;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.WireLimits;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The delivery stage: gathers the events of many requests into sink-sized batches (by count,
 * bytes and a short linger), writes them through a {@link RetryingWriter}, and answers each request
 * only once its events are confirmed: by the sink ({@code delivery.ack = sink}), or fsynced to this
 * node's spool ({@code spool}), which the forwarder ships on. The number of events held here is
 * bounded: past {@code max_in_flight_events} a request is answered OVERLOADED at once, so memory
 * stays bounded whatever the load; a full spool answers SPOOL_FULL and a sink that keeps failing
 * SINK_DOWN (the {@link CircuitBreaker}, reading the instance's {@link SinkState}), both at once.
 */
public class DeliveryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DeliveryVerticle.class);

  private final DeliveryConfig config;
  private final Supplier<RetryingWriter> writerFactory;
  private final SpoolGate spool;
  private final int maxConcurrentWrites;
  private final long startWritingWithinNanos;
  private final LongSupplier shutdownDeadlineMillis;
  private final String nodeId;
  private final WireLimits wireLimits;

  private RetryingWriter writer;
  private SinkStatus status;
  private CircuitBreaker breaker;
  private SinkLimits limits;
  private MessageConsumer<EventBatch> consumer;
  private MessageConsumer<Object> healthConsumer;

  private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
  private long bufferedBytes;
  private int inFlightEvents;
  private int writesInProgress;
  private boolean flushDue;
  private long lingerTimer = -1;
  private boolean stopping;
  /** The node drains (see {@link Pipeline#deliveryDrainAddress}): every batch is written without lingering. */
  private boolean noMoreLinger;
  private boolean probePending;
  private Promise<Void> drained;

  private final DeliveryMeters meters;
  private final AtomicLong inFlightGauge;

  /**
   * Everything the stage is built from; the composition root ({@code MainVerticle}) makes one per node.
   *
   * @param node                 the node's shared context: its id (the stage listens at
   *                             {@link Pipeline#deliveryAddress}), registry and drain deadline
   * @param config               the delivery section
   * @param writerFactory        the sink events are acknowledged from (the spool's in spool mode), behind its
   *                             writer; created on each instance's context
   * @param spool                this node's spool in spool mode, else null
   * @param maxConcurrentWrites  writes in progress at once per instance
   * @param startWritingWithinMs an event not handed to the sink this long after it arrived is answered
   *                             SINK_FAILED unwritten, so that no write can still succeed after the
   *                             client was told 503 (derived from the request timeout minus the sink's own
   *                             delivery deadline)
   * @param meters               the node's delivery meters (see {@link #target})
   * @param wireLimits           what the HTTP stage may hand on: a record past it is never written
   */
  public record Context(NodeContext node, DeliveryConfig config, Supplier<RetryingWriter> writerFactory,
                        SpoolGate spool, int maxConcurrentWrites, long startWritingWithinMs, DeliveryMeters meters,
                        WireLimits wireLimits) {
  }

  public DeliveryVerticle(Context context) {
    this.wireLimits = context.wireLimits();
    this.config = context.config();
    this.meters = context.meters();
    this.writerFactory = context.writerFactory();
    this.spool = context.spool();
    this.maxConcurrentWrites = context.maxConcurrentWrites();
    this.startWritingWithinNanos = TimeUnit.MILLISECONDS.toNanos(context.startWritingWithinMs());
    this.shutdownDeadlineMillis = context.node().drainDeadlineMillis();
    this.nodeId = context.node().nodeId();
    this.inFlightGauge = meters.inFlightEvents();
  }

  @Override
  public Future<?> start() {
    writer = writerFactory.get();
    status = SinkStatus.withBreaker(writer, target(), config.circuitBreaker());
    breaker = new CircuitBreaker(status, System::nanoTime);
    meters.sinkStatuses().add(status);
    limits = writer.limits().min(new SinkLimits(config.maxBatchRecords(), config.maxBatchBytes(),
        wireLimits.maxRecordBytes()));
    return writer.sink().start().compose(started -> {
      consumer = vertx.eventBus().consumer(Pipeline.deliveryAddress(nodeId), this::onBatch);
      healthConsumer = vertx.eventBus().consumer(Pipeline.deliveryHealthAddress(nodeId), this::onHealth);
      vertx.eventBus().localConsumer(Pipeline.deliveryDrainAddress(nodeId), drain -> stopLingering());
      return consumer.completion().compose(done -> healthConsumer.completion());
    });
  }

  /**
   * Delivers everything already taken, then closes the sink. At the shutdown deadline the sink is
   * closed anyway: writes still in flight complete (what the sink did not confirm is answered 503)
   * and events not yet written are answered SHUTTING_DOWN. Never an acknowledged event dropped.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    drained = Promise.promise();
    flushDue = true;
    flush();
    checkDrained();
    long remainingMs = Math.max(1, shutdownDeadlineMillis.getAsLong() - System.currentTimeMillis());
    long deadlineTimer = vertx.setTimer(remainingMs, id -> {
      log.warn("shutdown deadline reached with {} events in flight; closing the sink", inFlightEvents);
      answerBuffered(Outcome.SHUTTING_DOWN);
      drained.tryComplete();
    });
    return drained.future().compose(done -> {
      vertx.cancelTimer(deadlineTimer);
      meters.sinkStatuses().remove(status);
      return writer.close();
    });
  }

  private void stopLingering() {
    noMoreLinger = true;
    flushDue = true;
    flush();
  }

  private void onBatch(Message<EventBatch> message) {
    EventBatch batch;
    try {
      batch = message.body();
    } catch (WireFormatException e) {
      Wire.refuse(message, e);
      return;
    }
    if (stopping) {
      message.reply(Outcomes.all(batch.size(), Outcome.SHUTTING_DOWN));
      return;
    }
    if (inFlightEvents + batch.size() > config.maxInFlightEvents()) {
      message.reply(Outcomes.all(batch.size(), Outcome.OVERLOADED));
      return;
    }
    if (spool != null && !spool.accepting()) {
      message.reply(Outcomes.all(batch.size(), Outcome.SPOOL_FULL));
      return;
    }
    CircuitBreaker.Admission admission = breaker.admit();
    if (admission == CircuitBreaker.Admission.REJECT) {
      message.reply(Outcomes.all(batch.size(), Outcome.SINK_DOWN));
      return;
    }
    if (admission == CircuitBreaker.Admission.PROBE) {
      probePending = true; // the next write carries this batch, as a single attempt
    }
    OutcomeCollector reply = new OutcomeCollector(message);
    long arrivedNanos = System.nanoTime();
    List<PipelineEvent> events = batch.events();
    int unwritable = 0;
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent event = events.get(i);
      if (!writable(event)) {
        unwritable++;
        reply.complete(i, Outcome.SINK_FAILED);
        continue;
      }
      buffer.add(new Buffered(reply, i, event.record(), arrivedNanos));
      bufferedBytes += event.record().length + 1;
      inFlightEvents++;
      inFlightGauge.incrementAndGet();
    }
    if (unwritable > 0) {
      log.warn("{} event(s) of a batch not written: malformed app id or a record over {} bytes; the HTTP stage "
          + "sends neither, so the batch did not come from it", unwritable, limits.maxRecordBytes());
    }
    flushDue = flushDue || config.lingerMs() == 0 || noMoreLinger;
    flush();
    if (!buffer.isEmpty() && lingerTimer < 0 && config.lingerMs() > 0 && !noMoreLinger) {
      lingerTimer = vertx.setTimer(config.lingerMs(), id -> {
        lingerTimer = -1;
        flushDue = true;
        flush();
      });
    }
  }

  /** Starts writes while a slot is free and a batch is full or its linger is over. */
  private void flush() {
    while (writesInProgress < maxConcurrentWrites && !buffer.isEmpty() && (flushDue || batchIsFull())) {
      write(takeBatch());
    }
    if (buffer.isEmpty()) {
      flushDue = stopping || noMoreLinger;
      if (lingerTimer >= 0) {
        vertx.cancelTimer(lingerTimer);
        lingerTimer = -1;
      }
    }
  }

  private boolean batchIsFull() {
    return buffer.size() >= limits.maxRecords() || bufferedBytes >= limits.maxBatchBytes();
  }

  private List<Buffered> takeBatch() {
    List<Buffered> batch = new ArrayList<>(Math.min(buffer.size(), limits.maxRecords()));
    long bytes = 0;
    long now = System.nanoTime();
    while (!buffer.isEmpty() && batch.size() < limits.maxRecords()) {
      long size = buffer.peek().record.length + 1;
      if (!batch.isEmpty() && bytes + size > limits.maxBatchBytes()) {
        break;
      }
      Buffered entry = buffer.poll();
      bufferedBytes -= size;
      if (now - entry.arrivedNanos > startWritingWithinNanos) {
        release(entry, Outcome.SINK_FAILED); // too late to be confirmed before its request gives up
        continue;
      }
      bytes += size;
      batch.add(entry);
    }
    return batch;
  }

  private void answerBuffered(Outcome outcome) {
    Buffered entry;
    while ((entry = buffer.poll()) != null) {
      bufferedBytes -= entry.record.length + 1;
      release(entry, outcome);
    }
  }

  private void release(Buffered entry, Outcome outcome) {
    entry.reply.complete(entry.index, outcome);
    inFlightEvents--;
    inFlightGauge.decrementAndGet();
  }

  private void write(List<Buffered> batch) {
    if (batch.isEmpty()) {
      checkDrained();
      return;
    }
    writesInProgress++;
    List<byte[]> records = new ArrayList<>(batch.size());
    for (Buffered entry : batch) {
      records.add(entry.record);
    }
    meters.batchRecords().record(batch.size());
    long startedNanos = System.nanoTime();
    boolean probe = probePending;
    probePending = false;
    (probe ? writer.writeOnce(records) : writer.write(records)).onComplete(written -> {
      meters.writeTime().record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
      WriteResult result = written.succeeded() ? written.result() : WriteResult.noneDelivered(batch.size(),
          WriteResult.Failure.RETRY, String.valueOf(written.cause()));
      (result.complete() ? meters.writesOk() : meters.writesFailed()).increment();
      long spooled = 0;
      for (int i = 0; i < batch.size(); i++) {
        boolean delivered = result.delivered(i);
        Buffered entry = batch.get(i);
        spooled += delivered ? entry.record.length + 1 : 0;
        entry.reply.complete(entry.index, delivered ? Outcome.ACCEPTED : Outcome.SINK_FAILED);
      }
      if (spool != null) {
        spool.written(spooled);
      }
      inFlightEvents -= batch.size();
      inFlightGauge.addAndGet(-batch.size());
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

  /**
   * This node's delivery as /ready and /health/sink see it: whether it acknowledges writes (the sink's
   * {@link SinkState}, and in spool mode room in the spool), and the remote sink's state (in spool mode as
   * the forwarder sees it, with the spool's figures).
   */
  private void onHealth(Message<Object> message) {
    SinkState state = status.state();
    boolean spoolFull = spool != null && !spool.accepting();
    String detail = stopping ? "draining" : spoolFull ? "spool full: " + spool.fullReason() : state.detail();
    JsonObject reply = new JsonObject()
        .put("ready", state.ready() && !spoolFull && !stopping)
        .put("sink", config.sinkName())
        .put("ack", config.ack().key())
        .put("state", state.label())
        .put("detail", detail);
    SinkState remote = spool == null ? state : spool.remoteState();
    reply.put("remote", new JsonObject().put("ready", remote.ready()).put("state", remote.label())
        .put("detail", remote.detail()));
    if (spool != null) {
      reply.put("spool", spool.figures());
    }
    message.reply(reply);
  }

  /** What the writes of this stage go to, for metrics and logs: the sink, or "spool". */
  public static String target(DeliveryConfig config) {
    return config.spooled() ? "spool" : config.sinkName();
  }

  private String target() {
    return target(config);
  }

  /**
   * The HTTP stage only hands on checked events, but a clustered message may come from anyone who reaches the
   * event bus: what gets written must still name a real app and fit the agreed record size.
   */
  private boolean writable(PipelineEvent event) {
    return PipelineEvent.isWellFormedAppId(event.appId()) && event.record().length <= limits.maxRecordBytes();
  }

  /** A record waiting in the batch buffer, with the reply and the slot its outcome goes to. */
  private record Buffered(OutcomeCollector reply, int index, byte[] record, long arrivedNanos) {
  }
}
