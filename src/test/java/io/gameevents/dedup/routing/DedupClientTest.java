package io.gameevents.dedup.routing;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.ClusterView;
import io.gameevents.cluster.NodeRoles;
import io.gameevents.cluster.SharedSettings;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.config.ClusterSecret;
import io.gameevents.dedup.ownership.OwnerEntry;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.TestHashers;
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
import io.vertx.core.eventbus.Message;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each {@link DedupReply} reaching {@link DedupClient}. The dedup stage is scripted: consumers at the owners'
 * instance addresses answer as each test says and record what they got. The owner table is the real one, read
 * from a local owner map; which nodes are members is as each test says.
 */
class DedupClientTest {

  private static final int PARTITIONS = 4;
  private static final ClusterKey KEY = ClusterKey.derive(ClusterSecret.of("dedup-client-test-secret-0123456789ab"));
  private static final DedupHasher HASHER = TestHashers.KEYED;
  private static final String OWNER = "local#0";
  private static final String OWNER_ADDRESS = Pipeline.dedupInstanceAddress(OWNER);

  private Vertx vertx;
  private OwnerTable table;
  private DedupClient client;
  /** What each scripted address received: the event ids of each message, one list per message. */
  private final Map<String, List<List<String>>> received = new ConcurrentHashMap<>();
  /** The body of each message each scripted address received. */
  private final Map<String, List<Object>> bodies = new ConcurrentHashMap<>();
  /** The nodes that are cluster members, as the client is told. */
  private final java.util.Set<String> members = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Wire.registerCodecs(vertx, WireLimits.of(500, 32 * 1024));
    DedupCodecs.register(vertx, WireLimits.of(500, 32 * 1024));
    ClusterView view = get(ClusterView.start(vertx, new NodeRoles(true, true, true, 1,
        new SharedSettings(PARTITIONS, 500, 32 * 1024, null, KEY.fingerprint())), KEY,
        new UnprovenEntries(new SimpleMeterRegistry())));
    table = new OwnerTable(vertx, PARTITIONS, view);
    members.addAll(List.of("local", "another-node"));
    client = new DedupClient(vertx, PARTITIONS, 2_000, table, HASHER, members::contains);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }

  @Test
  void servedOutcomesReachTheClientInTheRequestsOrder() throws Exception {
    ownerServesEveryPartition();
    answer(OWNER_ADDRESS, batch -> served(batch, id -> id.endsWith("1") ? Outcome.DUPLICATE : Outcome.ACCEPTED));

    Outcomes outcomes = get(client.admit(List.of(event(0, 0), event(1, 1), event(0, 2))));

    assertThat(list(outcomes)).containsExactly(Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.ACCEPTED);
    assertThat(received).containsOnlyKeys(OWNER_ADDRESS);
    assertThat(received.get(OWNER_ADDRESS)).hasSize(1);
  }

  /** The owner table was stale: it reads the owner map again, and the events go once more, to the owner named now. */
  @Test
  void notServedHereReadsTheOwnerMapAgainAndAsksTheOwnerItNamesNow() throws Exception {
    ownerServesEveryPartition();
    answer(OWNER_ADDRESS, batch -> DedupReply.NOT_SERVED_HERE);
    String next = Pipeline.dedupInstanceAddress("local#1");
    answer(next, batch -> served(batch, id -> id.endsWith("1") ? Outcome.DUPLICATE : Outcome.ACCEPTED));
    mapNames("local#1");
    PipelineEvent a = event(0, 0);
    PipelineEvent b = event(1, 1);

    Outcomes outcomes = get(client.admit(List.of(a, b)));

    assertThat(list(outcomes)).containsExactly(Outcome.ACCEPTED, Outcome.DUPLICATE);
    assertThat(received.get(OWNER_ADDRESS)).containsExactly(List.of(a.eventId(), b.eventId()));
    assertThat(received.get(next)).containsExactly(List.of(a.eventId(), b.eventId()));
  }

  /** The map still names the owner that did not serve them: the partition is between owners, retry later. */
  @Test
  void notServedHereByTheOwnerTheMapStillNamesIsARetryWithoutAThirdSend() throws Exception {
    ownerServesEveryPartition();
    answer(OWNER_ADDRESS, batch -> DedupReply.NOT_SERVED_HERE);

    Outcomes outcomes = get(client.admit(List.of(event(0, 0), event(0, 1))));

    assertThat(list(outcomes)).containsExactly(Outcome.SHUTTING_DOWN, Outcome.SHUTTING_DOWN);
    assertThat(received).containsOnlyKeys(OWNER_ADDRESS);
    assertThat(received.get(OWNER_ADDRESS)).hasSize(1);
  }

  /** The partition is being handed over: the client is told to retry (503), and nothing is sent anywhere else. */
  @Test
  void movingIsARetryWithoutAResend() throws Exception {
    ownerServesEveryPartition();
    answer(OWNER_ADDRESS, batch -> DedupReply.MOVING);

    Outcomes outcomes = get(client.admit(List.of(event(0, 0), event(0, 1))));

    assertThat(list(outcomes)).containsExactly(Outcome.SHUTTING_DOWN, Outcome.SHUTTING_DOWN);
    assertThat(received).containsOnlyKeys(OWNER_ADDRESS);
    assertThat(received.get(OWNER_ADDRESS)).hasSize(1);
  }

  /** The owner named in the table has no consumer (its instance stopped) and the map names no other: a retry. */
  @Test
  void anOwnerWithoutAConsumerIsARetry() throws Exception {
    ownerServesEveryPartition();

    Outcomes outcomes = get(client.admit(List.of(event(0, 0), event(0, 1))));

    assertThat(list(outcomes)).containsExactly(Outcome.SHUTTING_DOWN, Outcome.SHUTTING_DOWN);
  }

  /** No owner known, in the table or the map: retry later, never an accept. */
  @Test
  void aPartitionWithoutAnOwnerIsARetry() throws Exception {
    Outcomes outcomes = get(client.admit(List.of(event(2, 0), event(3, 1))));

    assertThat(list(outcomes)).containsExactly(Outcome.SHUTTING_DOWN, Outcome.SHUTTING_DOWN);
  }

  /** An owner the table has not read yet (as at start-up) is found in the owner map before the events are sent. */
  @Test
  void anOwnerTheTableHasNotReadYetIsFoundInTheMap() throws Exception {
    answer(OWNER_ADDRESS, batch -> served(batch, id -> Outcome.DUPLICATE));
    mapNames(OWNER);

    Outcomes outcomes = get(client.admit(List.of(event(2, 0))));

    assertThat(list(outcomes)).containsExactly(Outcome.DUPLICATE);
    assertThat(received).containsOnlyKeys(OWNER_ADDRESS);
  }

  /**
   * The owner's node leaves the cluster while the request waits on it: the client is told to retry once the node has
   * gone, not when the request times out (an hour here, so that only the leaving can end it within the test's wait).
   */
  @Test
  void aRequestPendingOnANodeThatLeavesIsARetryOnceTheNodeHasGone() throws Exception {
    client = new DedupClient(vertx, PARTITIONS, 3_600_000, table, HASHER, members::contains);
    ownersAre("another-node#0");
    String elsewhere = Pipeline.dedupInstanceAddress("another-node#0");
    get(vertx.eventBus().consumer(elsewhere, this::record).completion()); // never answers

    Future<Outcomes> outcomes = client.admit(List.of(event(0, 0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> received.containsKey(elsewhere));
    members.remove("another-node");

    assertThat(list(get(outcomes))).containsExactly(Outcome.SHUTTING_DOWN);
  }

  /** Nothing is sent to a node that has left, even while the table still names an owner there. */
  @Test
  void aNodeThatHasLeftIsNotSentTo() throws Exception {
    ownersAre("gone-node#0");
    String gone = Pipeline.dedupInstanceAddress("gone-node#0");
    answer(gone, batch -> served(batch, id -> Outcome.ACCEPTED));

    Outcomes outcomes = get(client.admit(List.of(event(0, 0))));

    assertThat(list(outcomes)).containsExactly(Outcome.SHUTTING_DOWN);
    assertThat(received).isEmpty();
  }

  /** A reply that never comes: as far as the client can tell the sink's deadline passed, a retryable failure. */
  @Test
  void noReplyInTimeIsASinkFailure() throws Exception {
    ownerServesEveryPartition();
    get(vertx.eventBus().consumer(OWNER_ADDRESS, this::record).completion());

    Outcomes outcomes = get(client.admit(List.of(event(0, 0))));

    assertThat(list(outcomes)).containsExactly(Outcome.SINK_FAILED);
    assertThat(received).containsOnlyKeys(OWNER_ADDRESS);
  }

  /** An owner on this node gets each event's key with it, the one the client hashed to pick the partition. */
  @Test
  void anOwnerOnThisNodeIsSentTheKeysTheClientHashed() throws Exception {
    ownerServesEveryPartition();
    answer(OWNER_ADDRESS, batch -> served(batch, id -> Outcome.ACCEPTED));
    PipelineEvent a = event(0, 0);
    PipelineEvent b = event(3, 1);

    assertThat(list(get(client.admit(List.of(a, b))))).containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED);

    assertThat(bodies.get(OWNER_ADDRESS)).singleElement().isInstanceOfSatisfying(KeyedBatch.class, keyed -> {
      assertThat(keyed.events()).containsExactly(a, b);
      assertThat(keyed.keys()).containsExactly(HASHER.key("app", a.eventId()), HASHER.key("app", b.eventId()));
    });
  }

  /** An owner on another node gets the events alone: it hashes them itself, trusting no key from the wire. */
  @Test
  void anOwnerOnAnotherNodeIsSentNoKeys() throws Exception {
    String elsewhere = Pipeline.dedupInstanceAddress("another-node#0");
    ownersAre("another-node#0");
    answer(elsewhere, batch -> served(batch, id -> Outcome.ACCEPTED));
    PipelineEvent a = event(0, 0);

    assertThat(list(get(client.admit(List.of(a))))).containsExactly(Outcome.ACCEPTED);

    assertThat(bodies.get(elsewhere)).singleElement().isInstanceOfSatisfying(EventBatch.class,
        batch -> assertThat(batch.events()).containsExactly(a));
  }

  // --- helpers ---

  private void ownerServesEveryPartition() throws Exception {
    ownersAre(OWNER);
  }

  /** The owner map and the table both name {@code owner} for every partition. */
  private void ownersAre(String owner) throws Exception {
    mapNames(owner);
    table.start();
    String address = Pipeline.dedupInstanceAddress(owner);
    await().atMost(Duration.ofSeconds(30)).until(() -> table.ownerOf(PARTITIONS - 1) != null
        && address.equals(table.ownerOf(PARTITIONS - 1).address()));
  }

  /** The owner map names {@code owner} for every partition; the table reads it when it reads the map next. */
  private void mapNames(String owner) throws Exception {
    AsyncMap<Integer, Object> owners = get(vertx.sharedData().getAsyncMap(Pipeline.DEDUP_OWNERS));
    for (int p = 0; p < PARTITIONS; p++) {
      get(owners.put(p, OwnerEntry.owns(owner).format(p, KEY)));
    }
  }

  private void answer(String address, Function<EventBatch, DedupReply> reply) throws Exception {
    get(vertx.eventBus().consumer(address, message -> message.reply(reply.apply(record(message))))
        .completion());
  }

  /** Records the message's body and its event ids; an owner on this node is sent a {@link KeyedBatch}. */
  private EventBatch record(Message<Object> message) {
    bodies.computeIfAbsent(message.address(), a -> new CopyOnWriteArrayList<>()).add(message.body());
    EventBatch batch = message.body() instanceof KeyedBatch keyed ? new EventBatch(keyed.events())
        : (EventBatch) message.body();
    List<String> ids = new ArrayList<>();
    batch.events().forEach(event -> ids.add(event.eventId()));
    received.computeIfAbsent(message.address(), a -> new CopyOnWriteArrayList<>()).add(ids);
    return batch;
  }

  private static DedupReply served(EventBatch batch, Function<String, Outcome> outcomeOfId) {
    Outcomes outcomes = Outcomes.of(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      outcomes.set(i, outcomeOfId.apply(batch.events().get(i).eventId()));
    }
    return new DedupReply.Served(outcomes);
  }

  /** An event of {@code partition} whose id ends in {@code digit}. */
  private static PipelineEvent event(int partition, int digit) {
    for (int n = 0; ; n++) {
      String id = "event-" + partition + "-" + n + "-" + digit;
      if (HASHER.key("app", id).partition(PARTITIONS) == partition) {
        return new PipelineEvent("app", id, ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static List<Outcome> list(Outcomes outcomes) {
    List<Outcome> list = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      list.add(outcomes.get(i));
    }
    return list;
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
