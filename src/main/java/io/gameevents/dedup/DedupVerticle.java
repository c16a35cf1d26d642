package io.gameevents.dedup;

import io.gameevents.node.NodeContext;
import io.gameevents.cluster.ClusterView;
import io.gameevents.config.DedupConfig;
import io.gameevents.dedup.ownership.Handover;
import io.gameevents.dedup.ownership.OwnerEntry;
import io.gameevents.dedup.ownership.PartitionOwnership;
import io.gameevents.dedup.routing.DedupProbe;
import io.gameevents.dedup.routing.DedupReply;
import io.gameevents.dedup.routing.KeyedBatch;
import io.gameevents.dedup.storage.BucketedDedupStore;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupJournal;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.dedup.storage.DedupPartition;
import io.gameevents.dedup.storage.JournalMark;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.OutcomeCollector;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The dedup stage. The id space is cut into {@code dedup.partitions} fixed partitions. An instance
 * serves the partitions {@link PartitionOwnership} won for it, each a {@link DedupPartition} with
 * its own store and journal, so concurrent copies of one event always meet on one thread. The
 * HTTP stage sends a request's events to their owner's address ({@link Pipeline#dedupInstanceAddress},
 * one message per owner); a partition's own address answers readiness probes.
 *
 * <p>Taking a partition: load its journal from local disk, pull the previous owner's ids if it
 * hands them over ({@link Handover}), then register the partition's address. Giving one up: stop
 * accepting, wait until its reservations settled, unregister, flush the journal, serve the ids to
 * the next owner, then give up the ownership entry. Between the two, no instance serves the
 * partition and requests for it get 503 (never an unchecked accept).
 */
public class DedupVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DedupVerticle.class);
  /** How long a retired partition's ids wait for the next owner to pull them. */
  static final long HANDOVER_LINGER_MS = 30_000;

  private final DedupConfig config;
  private final DedupHasher hasher;
  private final int instance;
  private final long deliveryTimeoutMs;
  private final ClusterView view;
  private final MeterRegistry registry;
  private final LongSupplier shutdownDeadlineMillis;

  private final Map<Integer, DedupPartition> serving = new HashMap<>();
  private final Map<Integer, Future<Void>> loading = new HashMap<>();
  private final Map<Integer, Future<String>> givingUp = new HashMap<>();
  private final Map<Integer, MessageConsumer<Object>> consumers = new HashMap<>();
  private final List<Future<Void>> handoversServed = new ArrayList<>();
  private DedupPartition.InFlightBudget budget;
  private PartitionOwnership ownership;
  private int nextDeliveryNode;
  private int fsyncCursor;
  /** What the partitions' touch methods read ahead of a batch's probes, kept so the reads are not optimised away. */
  private long touched;
  /** This instance's {@link JournalMark} and the time it holds; on the ordered worker. */
  private JournalMark mark;
  private long markedThrough = Long.MIN_VALUE;

  // figures for the meters, refreshed on this context: the stores are single-threaded
  private final AtomicLong rememberedIds = new AtomicLong();
  private final AtomicLong forgottenIds = new AtomicLong();
  private final AtomicLong storeBytes = new AtomicLong();
  private final AtomicLong ownedPartitions = new AtomicLong();
  private Counter takeovers;
  private Counter handovers;
  private Counter restoredFromJournal;
  private Counter restoredFromHandover;

  /**
   * Everything the stage is built from; the composition root ({@code MainVerticle}) makes one per node.
   *
   * @param node              the node's shared context: cluster view, registry, drain deadline
   * @param config            the dedup section
   * @param deliveryTimeoutMs how long a batch handed to delivery may wait for its answer
   * @param hasher            hashes event ids into their dedup identity and partition
   */
  public record Context(NodeContext node, DedupConfig config, long deliveryTimeoutMs, DedupHasher hasher) {
  }

  /** @param instance this instance's number among the node's {@code dedup.instances} (its share of partitions) */
  public DedupVerticle(Context context, int instance) {
    this.config = context.config();
    this.hasher = context.hasher();
    this.instance = instance;
    this.deliveryTimeoutMs = context.deliveryTimeoutMs();
    this.view = context.node().view();
    this.registry = context.node().registry();
    this.shutdownDeadlineMillis = context.node().drainDeadlineMillis();
  }

  @Override
  public Future<?> start() {
    budget = new DedupPartition.InFlightBudget(config.maxInFlight());
    registerMeters();
    vertx.setPeriodic(1000, id -> refreshFigures());
    vertx.setPeriodic(config.journalFlushMs(), id -> flushJournals());
    ownership = new PartitionOwnership(vertx, view, config.partitions(), instance, new Owner(), this::hasJournal);
    var health = vertx.eventBus().localConsumer(Pipeline.DEDUP_HEALTH, this::onHealth);
    var batches = vertx.eventBus().consumer(Pipeline.dedupInstanceAddress(ownership.me()), this::onInstanceBatch);
    // ready once the partitions claimed at start-up serve (alone: all of them), so that a
    // single node's first request finds its partition served instead of a 503
    return Future.all(health.completion(), batches.completion()).compose(registered -> ownership.start())
        .compose(claimed -> Future.join(new ArrayList<>(loading.values())).otherwiseEmpty());
  }

  /**
   * Draining: every partition is handed over once its reservations settled (delivery is still
   * up), then its ids wait for the next owner, within the shutdown deadline.
   */
  @Override
  public Future<?> stop() {
    log.debug("dedup instance {}: stopping with {} partitions", instance, serving.size());
    view.announceLeaving(); // the other nodes' shares grow now, so they claim what this one gives up
    // every release, a rebalance's too, must have reached serving its ids before this verticle's
    // consumers go: Vert.x unregisters them all once stop() completes
    return ownership.releaseAll()
        .compose(released -> Future.join(new ArrayList<>(handoversServed)).otherwiseEmpty())
        .eventually(() -> vertx.executeBlocking(() -> {
          for (DedupPartition partition : serving.values()) {
            partition.journal.flush(System.currentTimeMillis());
            partition.journal.close();
          }
          if (mark != null) {
            mark.close();
          }
          return null;
        }));
  }

  private final class Owner implements PartitionOwnership.Host {

    @Override
    public Future<Void> take(int partition, OwnerEntry previous) {
      Future<Void> loaded = load(partition, previous)
          .onFailure(e -> log.error("dedup partition {}: could not load its ids: {}", partition, e.toString()))
          .andThen(done -> loading.remove(partition));
      if (!loaded.isComplete()) {
        loading.put(partition, loaded);
      }
      return loaded;
    }

    @Override
    public Future<String> giveUp(int partition) {
      Future<String> underWay = givingUp.get(partition);
      if (underWay != null) {
        return underWay;
      }
      Future<String> retired = loading.getOrDefault(partition, Future.succeededFuture()).otherwiseEmpty()
          .compose(ready -> retire(partition))
          .andThen(done -> givingUp.remove(partition));
      if (!retired.isComplete()) {
        givingUp.put(partition, retired);
      }
      return retired;
    }

    @Override
    public void lost(int partition, String nowOwnedBy) {
      DedupPartition part = serving.remove(partition);
      if (part == null) {
        return;
      }
      log.warn("dedup partition {}: the owner map names {} now; this instance stops serving it", partition,
          nowOwnedBy == null ? "no owner" : nowOwnedBy);
      part.stopAccepting();
      MessageConsumer<Object> consumer = consumers.remove(partition);
      if (consumer != null) {
        consumer.unregister();
      }
      vertx.executeBlocking(() -> {
        part.journal.flush(System.currentTimeMillis());
        part.journal.close();
        return null;
      });
      refreshFigures();
    }

    @Override
    public Set<Integer> held() {
      Set<Integer> held = new HashSet<>(serving.keySet());
      held.addAll(loading.keySet());
      held.removeAll(givingUp.keySet());
      return held;
    }
  }

  private Future<Void> load(int partition, OwnerEntry previous) {
    boolean released = previous != null && previous.isReleased();
    BucketedDedupStore store = BucketedDedupStore.from(config);
    return vertx.executeBlocking(() -> {
      long takenAt = System.currentTimeMillis();
      DedupJournal journal = DedupJournal.open(journalDirectory(partition), store.sliceMillis(),
          config.windowSeconds() * 1000);
      long fromDisk = journal.load(store, takenAt);
      return new DedupPartition(partition, store, journal, budget, takenAt).withRestored(fromDisk);
    }, false).compose(part -> (released
        ? Handover.fetch(vertx, previous.token(), store, part.journal, () -> view.isMember(previous.node()))
        : Future.succeededFuture(-1L))
        .compose(fromPrevious -> {
          restoredFromJournal.increment(part.restored());
          if (fromPrevious >= 0) {
            handovers.increment();
            restoredFromHandover.increment(fromPrevious);
          } else if (released) {
            log.warn("dedup partition {}: its previous owner {} did not hand its ids over; taking it over with "
                + "the {} ids on this node's disk", partition, previous.owner(), part.restored());
          }
          if (previous != null && fromPrevious < 0) {
            takeovers.increment();
          }
          MessageConsumer<Object> consumer = vertx.eventBus().consumer(Pipeline.dedupAddress(partition),
              message -> onPartitionMessage(part, message));
          consumers.put(partition, consumer);
          serving.put(partition, part);
          log.debug("dedup partition {}: serving ({} ids from disk, {} handed over)", partition, part.restored(),
              Math.max(0, fromPrevious));
          return consumer.completion();
        }));
  }

  private Future<String> retire(int partition) {
    DedupPartition part = serving.get(partition);
    if (part == null) {
      return Future.succeededFuture(null);
    }
    part.stopAccepting();
    log.debug("dedup partition {}: handing over", partition);
    return part.settled()
        .compose(settled -> consumers.remove(partition).unregister())
        .compose(unregistered -> vertx.executeBlocking(() -> {
          part.journal.flush(System.currentTimeMillis());
          part.journal.close();
          return null;
        }))
        .compose(flushed -> {
          serving.remove(partition);
          refreshFigures();
          if (!someoneElseTakesOver()) {
            return Future.succeededFuture(null);
          }
          long linger = Math.min(HANDOVER_LINGER_MS, shutdownDeadlineMillis.getAsLong() - System.currentTimeMillis());
          log.debug("dedup partition {}: serving its ids to the next owner for up to {} ms", partition, linger);
          String token = java.util.UUID.randomUUID().toString();
          return Handover.serve(vertx, token, part.store, linger, this::someoneElseTakesOver).map(served -> {
            handoversServed.add(served);
            served.onComplete(done -> handoversServed.remove(served));
            return token;
          });
        });
  }

  /**
   * Whether another dedup instance will want the ids: one on another node, or a sibling on this
   * one while this node is not draining (a draining node has left {@link ClusterView#nodes()}).
   */
  private boolean someoneElseTakesOver() {
    return view.nodes().stream().anyMatch(node -> node.roles().dedup()
        && (!node.id().equals(view.selfId()) || node.roles().dedupInstances() > 1));
  }

  /**
   * A batch at this instance's own address, where the HTTP stage's owner table sends the events of the
   * partitions this instance serves. Only if it serves and accepts every event's partition are they admitted;
   * else none is: {@link DedupReply#MOVING} while a partition is handed over (the client retries later), and
   * {@link DedupReply#NOT_SERVED_HERE} for one it does not serve (the table was stale: the sender reads it again).
   */
  private void onInstanceBatch(Message<Object> message) {
    Object body = bodyOf(message);
    if (body == null) {
      return;
    }
    KeyedBatch batch = keyed(body);
    if (batch == null) {
      refuse(message, body, "an instance's address takes event batches");
      return;
    }
    List<PipelineEvent> events = batch.events();
    DedupKey[] keys = batch.keys();
    DedupPartition[] partitions = new DedupPartition[events.size()];
    for (int i = 0; i < events.size(); i++) {
      partitions[i] = serving.get(keys[i].partition(config.partitions()));
      if (partitions[i] == null || !partitions[i].accepting()) {
        message.reply(partitions[i] == null ? DedupReply.NOT_SERVED_HERE : DedupReply.MOVING);
        return;
      }
    }
    admit(message, events, keys, partitions);
  }

  /**
   * A message at a partition's own address, which only the partition's current owner listens on: a readiness
   * probe. Batches never come here: the HTTP stage sends them to an owner's instance address, whose node it
   * knows ({@link io.gameevents.dedup.routing.DedupClient}).
   */
  private void onPartitionMessage(DedupPartition partition, Message<Object> message) {
    Object body = bodyOf(message);
    if (body == null) {
      return;
    }
    if (!(body instanceof DedupProbe)) {
      refuse(message, body, "a partition's address takes probes");
      return;
    }
    message.reply(new JsonObject().put("partition", partition.id).put("owner", ownership.me())
        .put("accepting", partition.accepting()));
  }

  /**
   * A batch's events with their keys: as the HTTP stage of this node computed them ({@link KeyedBatch}, which
   * never crosses the network), else hashed here from the events, since a key from the wire is never trusted.
   * Null for a body that is no batch.
   */
  private KeyedBatch keyed(Object body) {
    if (body instanceof KeyedBatch keyed) {
      return keyed;
    }
    return body instanceof EventBatch batch ? KeyedBatch.of(batch.events(), hasher) : null;
  }

  /** The message's body; or null once the message was refused, for bytes that broke the wire format or no body. */
  private static Object bodyOf(Message<Object> message) {
    try {
      Object body = message.body();
      if (body == null) {
        Wire.refuse(message, new WireFormatException("a dedup address takes no empty body"));
      }
      return body;
    } catch (WireFormatException e) {
      Wire.refuse(message, e);
      return null;
    }
  }

  private static void refuse(Message<Object> message, Object body, String takes) {
    Wire.refuse(message, new WireFormatException(takes + ", not a " + body.getClass().getSimpleName()));
  }

  /**
   * Each event is admitted by its partition (which this instance serves and which accepts: the caller checked);
   * the fresh ones go to delivery as one batch, and the reply carries every event's outcome once all are known.
   * Before the admissions every key's slot is read in one pass so the stores' cache misses overlap
   * ({@link DedupPartition#touchForAdmit}); the settlements do not read the stores unless a delivery failed.
   */
  private void admit(Message<Object> message, List<PipelineEvent> events, DedupKey[] keys,
                     DedupPartition[] partitions) {
    if (events.isEmpty()) {
      message.reply(new DedupReply.Served(Outcomes.of(0)));
      return;
    }
    OutcomeCollector reply = new OutcomeCollector(events.size(),
        outcomes -> message.reply(new DedupReply.Served(outcomes)));
    List<PipelineEvent> fresh = new ArrayList<>(events.size());
    int[] indexes = new int[events.size()];
    for (int i = 0; i < events.size(); i++) {
      touched ^= partitions[i].touchForAdmit(keys[i]);
    }
    for (int i = 0; i < events.size(); i++) {
      if (partitions[i].admit(keys[i], reply, i)) {
        indexes[fresh.size()] = i;
        fresh.add(events.get(i));
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    deliver(new EventBatch(fresh)).onComplete(delivered -> {
      for (int j = 0; j < fresh.size(); j++) {
        int i = indexes[j];
        Outcome outcome = delivered.succeeded() ? delivered.result().get(j) : Outcome.SINK_FAILED;
        try {
          partitions[i].settle(keys[i], outcome);
        } finally {
          reply.complete(i, outcome);
        }
      }
    });
  }

  /** To this node's delivery stage when it has one (the batch crosses the network at most once), else to another node's. */
  private Future<Outcomes> deliver(EventBatch batch) {
    DeliveryOptions options = Wire.sendOptions(deliveryTimeoutMs);
    String address;
    if (view.self().delivery()) {
      address = Pipeline.deliveryAddress(view.selfId());
      options.setLocalOnly(true);
    } else {
      List<ClusterView.Node> nodes = view.deliveryNodes();
      if (nodes.isEmpty()) {
        return Future.succeededFuture(Outcomes.all(batch.size(), Outcome.SINK_FAILED));
      }
      address = Pipeline.deliveryAddress(nodes.get(Math.floorMod(nextDeliveryNode++, nodes.size())).id());
    }
    return vertx.eventBus().<Outcomes>request(address, batch, options).map(Message::body);
  }

  /**
   * Writes every partition's new ids out (a process crash then loses none), and fsyncs a few
   * partitions per tick, round-robin, so that each is fsynced every {@code journal_fsync_ms}: one
   * fsync per partition per tick was measured to cost a quarter of single-event throughput, as
   * it competes with the sink's own fsync.
   */
  private void flushJournals() {
    // taken on this context, before the buffers are swapped on the worker: every id committed before it is in
    // this tick's writes or an earlier one's
    long tickStart = System.currentTimeMillis();
    List<DedupPartition> partitions = new ArrayList<>(serving.values());
    partitions.sort(java.util.Comparator.comparingInt(p -> p.id));
    int durablePerTick = partitions.isEmpty() ? 0 : (int) Math.max(1, Math.ceil(partitions.size()
        * (double) config.journalFlushMs() / config.journalFsyncMs()));
    Set<DedupPartition> durable = new HashSet<>();
    for (int i = 0; i < durablePerTick; i++) {
      durable.add(partitions.get(Math.floorMod(fsyncCursor++, partitions.size())));
    }
    vertx.executeBlocking(() -> {
      long now = System.currentTimeMillis();
      long durableThrough = tickStart;
      for (DedupPartition partition : partitions) {
        if (durable.contains(partition) || partition.journal.pending() > 0) {
          partition.journal.flush(now, durable.contains(partition));
        }
        if (durable.contains(partition)) {
          partition.durableThrough(tickStart);
        }
        durableThrough = Math.min(durableThrough, partition.durableThrough());
      }
      markDurableThrough(durableThrough);
      return null;
    }).onFailure(e -> log.error("dedup journal flush failed: {}", e.toString()));
  }

  /**
   * Tells the next start from when on to read the sink's files back
   * ({@link io.gameevents.dedup.storage.SinkRebuild}): one small write and fsync per tick. On the ordered worker.
   */
  private void markDurableThrough(long millis) throws java.io.IOException {
    if (mark == null) {
      mark = JournalMark.open(Path.of(config.directory()), instance);
    }
    if (millis != markedThrough) {
      mark.write(millis);
      markedThrough = millis;
    }
  }

  private Path journalDirectory(int partition) {
    return Path.of(config.directory(), "partition-" + partition);
  }

  private boolean hasJournal(int partition) {
    try (var files = Files.list(journalDirectory(partition))) {
      return files.findAny().isPresent();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void onHealth(Message<Object> message) {
    int inFlight = 0;
    long remembered = 0;
    for (DedupPartition partition : serving.values()) {
      inFlight += partition.inFlightIds();
      remembered += partition.store.size();
    }
    message.reply(new JsonObject()
        .put("ready", true)
        .put("owned_partitions", serving.size())
        .put("remembered_ids", remembered)
        .put("in_flight_ids", inFlight));
  }

  private void refreshFigures() {
    long remembered = 0;
    long forgotten = 0;
    long bytes = 0;
    for (DedupPartition partition : serving.values()) {
      remembered += partition.store.size();
      forgotten += partition.store.forgotten();
      bytes += partition.store.bytesUsed();
    }
    rememberedIds.set(remembered);
    forgottenIds.set(forgotten);
    storeBytes.set(bytes);
    ownedPartitions.set(serving.size());
  }

  private void registerMeters() {
    Tags tags = Tags.of("instance", Integer.toString(instance));
    Gauge.builder("game_events_dedup_remembered_ids", rememberedIds, AtomicLong::get).tags(tags)
        .description("Event ids remembered in the dedup window").register(registry);
    FunctionCounter.builder("game_events_dedup_forgotten_ids", forgottenIds, AtomicLong::get).tags(tags)
        .description("Ids forgotten before their window ended because dedup.max_entries was reached")
        .register(registry);
    Gauge.builder("game_events_dedup_store_bytes", storeBytes, AtomicLong::get).tags(tags)
        .description("Heap bytes of the dedup tables").register(registry);
    Gauge.builder("game_events_dedup_owned_partitions", ownedPartitions, AtomicLong::get).tags(tags)
        .description("Dedup partitions this instance serves").register(registry);
    takeovers = Counter.builder("game_events_dedup_takeovers").tags(tags)
        .description("Partitions taken over from an owner that left the cluster without handing them over")
        .register(registry);
    handovers = Counter.builder("game_events_dedup_handovers").tags(tags)
        .description("Partitions received with their ids from the previous owner").register(registry);
    restoredFromJournal = Counter.builder("game_events_dedup_restored_ids").tags(tags.and("source", "journal"))
        .description("Ids restored when taking a partition").register(registry);
    restoredFromHandover = Counter.builder("game_events_dedup_restored_ids").tags(tags.and("source", "handover"))
        .description("Ids restored when taking a partition").register(registry);
  }
}
