package io.gameevents.dedup;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.NodeRoles;
import io.gameevents.cluster.SharedSettings;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.config.DedupConfig;
import io.gameevents.dedup.routing.DedupCodecs;
import io.gameevents.dedup.routing.DedupProbe;
import io.gameevents.dedup.routing.DedupReply;
import io.gameevents.dedup.routing.KeyedBatch;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.dedup.storage.TestHashers;
import io.gameevents.node.NodeContext;
import io.gameevents.pipeline.Wire;
import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link DedupVerticle} answers at each of its addresses: one instance alone on a local Vert.x, serving every
 * partition, in front of a scripted delivery stage that records what it is sent and may hold a batch unanswered.
 */
class DedupVerticleRepliesTest {

  private static final int PARTITIONS = 4;
  private static final ClusterKey KEY = ClusterKey.random();
  private static final DedupHasher HASHER = TestHashers.KEYED;
  private static final String INSTANCE = Pipeline.dedupInstanceAddress("local#0");
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(30_000);

  @TempDir
  Path directory;

  private Vertx vertx;
  private String deployment;
  /** The event ids of each batch delivery was sent. */
  private final List<List<String>> delivered = new CopyOnWriteArrayList<>();
  /** Batches delivery holds unanswered while {@link #holdDelivery} is set. */
  private final List<Message<EventBatch>> held = new CopyOnWriteArrayList<>();
  private volatile boolean holdDelivery;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Wire.registerCodecs(vertx, WireLimits.of(500, 32 * 1024));
    DedupCodecs.register(vertx, WireLimits.of(500, 32 * 1024));
    ClusterView view = get(ClusterView.start(vertx, new NodeRoles(false, true, true, 1,
        new SharedSettings(PARTITIONS, 500, 32 * 1024, null, KEY.fingerprint())), KEY,
        new UnprovenEntries(new SimpleMeterRegistry())));
    get(vertx.eventBus().<EventBatch>consumer(Pipeline.deliveryAddress(view.selfId()), message -> {
      List<String> ids = new ArrayList<>();
      message.body().events().forEach(event -> ids.add(event.eventId()));
      delivered.add(ids);
      if (holdDelivery) {
        held.add(message);
      } else {
        message.reply(Outcomes.all(message.body().size(), Outcome.ACCEPTED));
      }
    }).completion());
    DedupConfig config = new DedupConfig(1, PARTITIONS, 3600, 4, 10_000, 1_000, directory.toString(), 1_000,
        30_000, null);
    NodeContext node = new NodeContext(null, new SimpleMeterRegistry(), view, () -> System.currentTimeMillis() + 30_000,
        System::nanoTime);
    deployment = get(vertx.deployVerticle(new DedupVerticle(new DedupVerticle.Context(node, config, 30_000, HASHER), 0)));
  }

  @AfterEach
  void stop() throws Exception {
    held.forEach(message -> message.reply(Outcomes.all(message.body().size(), Outcome.SHUTTING_DOWN)));
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  @Test
  void aBatchAtTheInstancesAddressIsServedAndItsRetryIsADuplicate() throws Exception {
    List<PipelineEvent> events = List.of(event(0, "a"), event(3, "b"));

    assertThat(outcomes(send(INSTANCE, events))).containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED);
    assertThat(outcomes(send(INSTANCE, events))).containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE);
    assertThat(delivered).containsExactly(List.of(events.get(0).eventId(), events.get(1).eventId()));
  }

  /**
   * A batch from this node's HTTP stage carries the keys it hashed, and the instance admits under those rather than
   * hashing again: two events given one key are one event to it. Sent without keys (as from another node), the
   * same events are hashed here, each to its own key.
   */
  @Test
  void aLocalBatchIsAdmittedUnderTheKeysItCarriesAndABatchWithoutKeysIsHashedHere() throws Exception {
    PipelineEvent first = event(0, "first");
    PipelineEvent second = event(0, "second");
    DedupKey firstKey = HASHER.key("app", first.eventId());
    KeyedBatch keyed = new KeyedBatch(List.of(first, second), new DedupKey[] {firstKey, firstKey});

    DedupReply local = get(vertx.eventBus().<DedupReply>request(INSTANCE, keyed, TIMEOUT)).body();

    assertThat(outcomes(local)).containsExactly(Outcome.ACCEPTED, Outcome.DUPLICATE);
    assertThat(delivered).containsExactly(List.of(first.eventId()));
    assertThat(outcomes(send(INSTANCE, List.of(first, second)))).containsExactly(Outcome.DUPLICATE, Outcome.ACCEPTED);
    assertThat(delivered).containsExactly(List.of(first.eventId()), List.of(second.eventId()));
  }

  /** A partition's own address takes probes only: a batch there is refused, not reserved and not delivered. */
  @Test
  void aBatchAtAPartitionsAddressIsRefused() throws Exception {
    PipelineEvent event = event(1, "a");

    assertThatThrownBy(() -> send(Pipeline.dedupAddress(1), List.of(event)))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ReplyException.class,
            refused -> assertThat(refused.failureCode()).isEqualTo(400));
    assertThat(delivered).isEmpty();
    assertThat(outcomes(send(INSTANCE, List.of(event)))).containsExactly(Outcome.ACCEPTED);
  }

  @Test
  void aProbeIsAnsweredWithThePartitionsState() throws Exception {
    JsonObject state = get(vertx.eventBus().<JsonObject>request(Pipeline.dedupAddress(2), DedupProbe.INSTANCE,
        TIMEOUT)).body();

    assertThat(state).isEqualTo(new JsonObject().put("partition", 2).put("owner", "local#0").put("accepting", true));
  }

  /** A body of no type a dedup address takes (here: none, the probe of old) is refused at once, not left to time out. */
  @Test
  void anEmptyBodyIsRefused() {
    assertThatThrownBy(() -> get(vertx.eventBus().request(Pipeline.dedupAddress(0), null, TIMEOUT)))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ReplyException.class,
            refused -> assertThat(refused.failureCode()).isEqualTo(400));
  }

  /**
   * Draining: a partition whose event is still in delivery is handed over only once it settled. Meanwhile a batch
   * of its events is told MOVING and not delivered; the event in flight still gets its outcome.
   */
  @Test
  void aPartitionBeingHandedOverAnswersMoving() throws Exception {
    holdDelivery = true;
    PipelineEvent inFlight = event(0, "in-flight");
    Future<Message<DedupReply>> first = vertx.eventBus().request(INSTANCE, new EventBatch(List.of(inFlight)), TIMEOUT);
    await().atMost(Duration.ofSeconds(30)).until(() -> held.size() == 1);

    Future<Void> undeployed = vertx.undeploy(deployment);
    await().atMost(Duration.ofSeconds(30)).until(() -> !get(vertx.eventBus().<JsonObject>request(
        Pipeline.dedupAddress(0), DedupProbe.INSTANCE, TIMEOUT)).body().getBoolean("accepting"));

    assertThat(send(INSTANCE, List.of(event(0, "moving")))).isEqualTo(DedupReply.MOVING);
    assertThat(delivered).hasSize(1);

    Message<EventBatch> delivery = held.remove(0);
    delivery.reply(Outcomes.all(1, Outcome.ACCEPTED));
    assertThat(outcomes(get(first).body())).containsExactly(Outcome.ACCEPTED);
    get(undeployed);
  }

  // --- helpers ---

  private DedupReply send(String address, List<PipelineEvent> events) throws Exception {
    return get(vertx.eventBus().<DedupReply>request(address, new EventBatch(events), TIMEOUT)).body();
  }

  private static List<Outcome> outcomes(DedupReply reply) {
    assertThat(reply).isInstanceOf(DedupReply.Served.class);
    Outcomes outcomes = ((DedupReply.Served) reply).outcomes();
    List<Outcome> list = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      list.add(outcomes.get(i));
    }
    return list;
  }

  /** An event of {@code partition}, its id starting with {@code name}. */
  private static PipelineEvent event(int partition, String name) {
    for (int n = 0; ; n++) {
      String id = name + "-" + n;
      if (HASHER.key("app", id).partition(PARTITIONS) == partition) {
        return new PipelineEvent("app", id, ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
