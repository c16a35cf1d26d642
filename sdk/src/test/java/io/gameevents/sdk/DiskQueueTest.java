package io.gameevents.sdk;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class DiskQueueTest {

  @TempDir
  Path directory;

  @Test
  void eventsTrackedWhileOfflineAreDeliveredByTheNextClient(Vertx vertx) throws Exception {
    GameEventClient offline = new GameEventClient(vertx,
        fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort()).setMaxAttempts(2)
            .setQueueDirectory(directory));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InstallEvent event = InstallEvent.create("player_" + i, "com.game.test", "ios");
      assertThat(offline.track(event)).isTrue();
      ids.add(event.eventId());
    }
    await(offline.closeAsync());
    assertThat(Files.readAllLines(directory.resolve("default.events.ndjson"))).hasSize(3);

    ScriptedServer server = ScriptedServer.start(vertx);
    GameEventClient next = new GameEventClient(vertx, fastConfig(server.baseUrl()).setQueueDirectory(directory));
    assertThat(next.queuedEvents()).isEqualTo(3);
    await(next.flush());
    await(next.closeAsync());
    server.close();

    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(server.requests().get(0).events()).extracting(e -> e.getString("player_id"))
        .containsExactly("player_0", "player_1", "player_2");
    assertThat(Files.readAllLines(directory.resolve("default.events.ndjson"))).isEmpty();
  }

  @Test
  void aRevokedKeyLeavesTheDiskQueueIntact(Vertx vertx) throws Exception {
    ScriptedServer server = ScriptedServer.start(vertx);
    for (int i = 0; i < 2; i++) { // the flush, then the one at close
      server.thenProblem(401, "Unauthorized");
    }
    GameEventClient revoked = new GameEventClient(vertx, fastConfig(server.baseUrl()).setQueueDirectory(directory));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InstallEvent event = InstallEvent.create("player_" + i, "com.game.test", "ios");
      assertThat(revoked.track(event)).isTrue();
      ids.add(event.eventId());
    }
    assertThat(ClientTestSupport.awaitFailure(revoked.flush())).isInstanceOf(BatchDeliveryException.class);
    await(revoked.closeAsync());
    assertThat(server.requests()).hasSize(2);

    GameEventClient next = new GameEventClient(vertx, fastConfig(server.baseUrl()).setQueueDirectory(directory));
    assertThat(next.queuedEvents()).isEqualTo(3);
    await(next.flush());
    await(next.closeAsync());
    server.close();

    assertThat(server.requests()).hasSize(3);
    assertThat(server.requests().get(2).events()).extracting(e -> e.getString("event_id")).isEqualTo(ids);
    assertThat(Files.readAllLines(directory.resolve("default.events.ndjson"))).isEmpty();
  }

  @Test
  void recoveredEventsAreSentWithoutAnExplicitFlush(Vertx vertx) throws Exception {
    GameEventClient offline = new GameEventClient(vertx,
        fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort()).setMaxAttempts(1)
            .setQueueDirectory(directory).setQueueName("game-1"));
    InstallEvent event = InstallEvent.create("p", "com.game.test", "ios");
    offline.track(event);
    await(offline.closeAsync());

    ScriptedServer server = ScriptedServer.start(vertx);
    GameEventClient next = new GameEventClient(vertx, fastConfig(server.baseUrl())
        .setQueueDirectory(directory).setQueueName("game-1"));
    server.awaitRequests(1, Duration.ofSeconds(10));
    await(next.closeAsync());
    server.close();

    assertThat(server.requests()).extracting(r -> r.events().get(0).getString("event_id"))
        .containsExactly(event.eventId());
  }

  @Test
  void aSecondClientCannotOpenTheSameQueue(Vertx vertx) throws Exception {
    GameEventClientConfig config = fastConfig("http://127.0.0.1:1").setQueueDirectory(directory);
    GameEventClient first = new GameEventClient(vertx, config);

    assertThatThrownBy(() -> new GameEventClient(vertx, config))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("event queue");
    GameEventClient otherName = new GameEventClient(vertx, fastConfig("http://127.0.0.1:1")
        .setQueueDirectory(directory).setQueueName("other"));

    await(otherName.closeAsync());
    await(first.closeAsync());
    await(new GameEventClient(vertx, config).closeAsync());
  }

  @Test
  void journalReplaysAppendsAndRemovalsAndSkipsATornLine() throws Exception {
    // as left by a process killed while appending e5
    Files.writeString(directory.resolve("q.events.ndjson"), String.join("\n",
        "{\"event_id\":\"e0\"}", "{\"event_id\":\"e1\"}", "{\"event_id\":\"e2\"}", "-1",
        "{\"event_id\":\"e3\"}", "-1", "{\"event_id\":\"e4\"}", "{\"event_id\":\"e5\",\"player"),
        StandardCharsets.UTF_8);

    EventJournal reopened = EventJournal.open(directory, "q");

    assertThat(reopened.recovered()).containsExactly("{\"event_id\":\"e2\"}", "{\"event_id\":\"e3\"}",
        "{\"event_id\":\"e4\"}");
    assertThat(Files.readAllLines(directory.resolve("q.events.ndjson"))).containsExactly(
        "{\"event_id\":\"e2\"}", "{\"event_id\":\"e3\"}", "{\"event_id\":\"e4\"}");
    reopened.close(reopened.recovered());
  }

  @Test
  void queueChangesReachTheJournalInQueueOrder(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    Journal journal = EventJournal.open(directory, "q");
    EventQueue queue = EventQueue.journaled(10, journal.recovered());
    JournalWriter writer = new JournalWriter(context, queue, journal);
    queue.offer("a", "{\"event_id\":\"a\"}");
    queue.offer("b", "{\"event_id\":\"b\"}");
    queue.offer("c", "{\"event_id\":\"c\"}");
    long onDisk = await(writer.sync());
    List<EventQueue.Entry> batch = queue.peekBatch(2, 1024 * 1024, onDisk);
    queue.removeHead(batch, List.of(batch.get(1)));
    await(writer.sync());
    Path file = directory.resolve("q.events.ndjson");

    assertThat(onDisk).isEqualTo(2);
    assertThat(Files.readAllLines(file)).containsExactly("{\"event_id\":\"a\"}", "{\"event_id\":\"b\"}",
        "{\"event_id\":\"c\"}", "{\"event_id\":\"b\"}", "-2");

    await(writer.close());
    assertThatThrownBy(() -> queue.offer("d", "{\"event_id\":\"d\"}")).isInstanceOf(IllegalStateException.class);
    Journal reopened = EventJournal.open(directory, "q");
    EventQueue restored = EventQueue.journaled(10, reopened.recovered());
    assertThat(restored.peekBatch(10, 1024 * 1024, Long.MAX_VALUE)).extracting(EventQueue.Entry::eventId)
        .containsExactly("c", "b");
    reopened.close(reopened.recovered());
  }

  @Test
  void aBatchIsOnlyTakenFromEventsAlreadyOnDisk(Vertx vertx) throws Exception {
    Journal journal = EventJournal.open(directory, "q");
    EventQueue queue = EventQueue.journaled(10, journal.recovered());
    JournalWriter writer = new JournalWriter(vertx.getOrCreateContext(), queue, journal);
    queue.offer("a", "{\"event_id\":\"a\"}");
    long onDisk = await(writer.sync());
    queue.offer("b", "{\"event_id\":\"b\"}"); // tracked after the sync: not on disk yet

    assertThat(queue.peekBatch(10, 1024 * 1024, onDisk)).extracting(EventQueue.Entry::eventId).containsExactly("a");
    await(writer.close());
  }
}
