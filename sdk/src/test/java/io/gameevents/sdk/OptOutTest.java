package io.gameevents.sdk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link GameEventClient#optOut()} and {@link GameEventClient#optIn()}, with and without the disk queue. */
@ExtendWith(VertxExtension.class)
class OptOutTest {

  @TempDir
  Path directory;

  private Vertx vertx;
  private ScriptedServer server;
  private final List<GameEventClient> open = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = ScriptedServer.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    for (GameEventClient client : open) {
      await(client.closeAsync());
    }
    server.close();
  }

  private GameEventClient client(GameEventClientConfig config) {
    GameEventClient client = new GameEventClient(vertx, config);
    open.add(client);
    return client;
  }

  private GameEventClient diskClient(String baseUrl) {
    return client(fastConfig(baseUrl).setQueueDirectory(directory));
  }

  private void closeClient(GameEventClient client) throws Exception {
    await(client.closeAsync());
    open.remove(client);
  }

  private static InstallEvent install(String player) {
    return InstallEvent.create(player, "com.game.test", "ios");
  }

  private Path journalFile() {
    return directory.resolve("default.events.ndjson");
  }

  private Path optOutFile() {
    return directory.resolve("default.opted-out");
  }

  private List<String> sentIds() {
    return server.requests().stream().flatMap(r -> r.events().stream()).map(e -> e.getString("event_id")).toList();
  }

  @Test
  void afterOptOutNothingIsTrackedOrSentUntilOptIn() throws Exception {
    GameEventClient client = client(fastConfig(server.baseUrl()));

    await(client.optOut());

    assertThat(client.optedOut()).isTrue();
    assertThat(client.track(install("player_1"))).isFalse();
    assertThat(client.track(install("player_1"))).isFalse();
    EventResponse response = await(client.send(install("player_1")));
    assertThat(response.status()).isEqualTo(EventStatus.OPTED_OUT);
    assertThat(response.delivered()).isFalse();
    assertThat(response.attempts()).isZero();
    assertThat(response.httpStatus()).isZero();
    await(client.flush());
    assertThat(server.requests()).isEmpty();
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 0, 0, 0, 0, 0, 0, 2));

    await(client.optIn());
    InstallEvent tracked = install("player_1");
    assertThat(client.optedOut()).isFalse();
    assertThat(client.track(tracked)).isTrue();
    await(client.flush());
    assertThat(await(client.send(install("player_1"))).status()).isEqualTo(EventStatus.ACCEPTED);

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(0).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(tracked.eventId());
  }

  @Test
  void optOutDeletesTheQueuedEventsFromDiskAndTheChoiceSurvivesARestartUntilOptIn() throws Exception {
    String offline = "http://127.0.0.1:" + ClientTestSupport.closedPort();
    GameEventClient first = client(fastConfig(offline).setMaxAttempts(1).setQueueDirectory(directory));
    for (int i = 0; i < 3; i++) {
      assertThat(first.track(install("player_1"))).isTrue();
    }
    Awaitility.waitAtMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(journalFile()).size() == 3);

    await(first.optOut());

    assertThat(Files.readAllLines(journalFile())).isEmpty();
    assertThat(optOutFile()).exists();
    assertThat(first.queuedEvents()).isZero();
    assertThat(first.stats().optedOut()).isEqualTo(3);
    closeClient(first);

    // the game restarts: still opted out, nothing queued, nothing sent
    GameEventClient second = diskClient(server.baseUrl());
    assertThat(second.optedOut()).isTrue();
    assertThat(second.queuedEvents()).isZero();
    assertThat(second.track(install("player_1"))).isFalse();
    await(second.flush());
    assertThat(server.requests()).isEmpty();

    await(second.optIn());
    assertThat(optOutFile()).doesNotExist();
    closeClient(second);

    // and again: opted in, tracking works
    GameEventClient third = diskClient(server.baseUrl());
    assertThat(third.optedOut()).isFalse();
    InstallEvent event = install("player_1");
    assertThat(third.track(event)).isTrue();
    await(third.flush());
    assertThat(sentIds()).containsExactly(event.eventId());
  }

  @Test
  void eventsACrashLeftInTheJournalAfterTheChoiceWasRecordedAreNeverSent() throws Exception {
    // as left by a game killed between recording the opt-out and rewriting the journal
    Files.writeString(journalFile(), "{\"event_id\":\"e1\",\"player_id\":\"player_1\"}\n"
        + "{\"event_id\":\"e2\",\"player_id\":\"player_1\"}\n", StandardCharsets.UTF_8);
    Files.writeString(optOutFile(), "opted out\n", StandardCharsets.UTF_8);

    GameEventClient client = diskClient(server.baseUrl());

    assertThat(client.optedOut()).isTrue();
    assertThat(client.queuedEvents()).isZero();
    assertThat(Files.readAllLines(journalFile())).isEmpty();
    await(client.flush());
    closeClient(client);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void eventsOfABatchInFlightDuringTheOptOutAreNotQueuedAgain() throws Exception {
    GameEventClient client = diskClient(server.baseUrl());
    AtomicReference<Future<Void>> optedOut = new AtomicReference<>();
    // the player opts out while the batch is on its way; the server then could not store any of it
    server.then(request -> {
      optedOut.set(client.optOut());
      JsonArray results = new JsonArray();
      for (int i = 0; i < request.events().size(); i++) {
        results.add(new JsonObject().put("index", i).put("status", "unavailable"));
      }
      return new ScriptedServer.Reply(200, Map.of(), new JsonObject().put("results", results).encode());
    });
    for (int i = 0; i < 3; i++) {
      client.track(install("player_1"));
    }
    await(client.flush());
    await(optedOut.get());

    // a flush after opting in again completes only after the answer above was handled
    await(client.optIn());
    InstallEvent later = install("player_1");
    client.track(later);
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(later.eventId());
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 1, 0, 0, 0, 0, 0, 0, 3));
    closeClient(client);
    assertThat(Files.readAllLines(journalFile())).isEmpty();
  }

  @Test
  void aFlushWaitingForTheQueuedEventsCompletesWhenTheOptOutDeletesThem() throws Exception {
    server.thenHang(); // the first attempt never gets an answer
    GameEventClient client = client(fastConfig(server.baseUrl()).setBatchMaxEvents(2)
        .setRequestTimeout(Duration.ofMinutes(5)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      InstallEvent event = install("player_1");
      client.track(event);
      ids.add(event.eventId());
    }
    Future<Void> flushed = client.flush();
    server.awaitRequests(1, Duration.ofSeconds(10));

    await(client.optOut());

    // the second batch of two was never sent: the flush is over once the opt-out deleted it
    await(flushed);
    assertThat(sentIds()).isEqualTo(ids.subList(0, 2));
    assertThat(client.queuedEvents()).isZero();
  }

  @Test
  void theHalvesOfABatchSplitBeforeTheOptOutAreNeverSent() throws Exception {
    GameEventClient client = client(fastConfig(server.baseUrl()));
    AtomicReference<Future<Void>> optedOut = new AtomicReference<>();
    // the server's body limit is below the batch: the client would send it again in halves
    server.then(request -> {
      optedOut.set(client.optOut());
      return new ScriptedServer.Reply(413, Map.of("Content-Type", "application/problem+json"),
          "{\"title\":\"Payload too large\",\"status\":413}");
    });
    for (int i = 0; i < 4; i++) {
      client.track(install("player_1"));
    }
    await(client.flush());
    await(optedOut.get());

    // a flush after opting in again completes only after the 413 above was handled
    await(client.optIn());
    InstallEvent later = install("player_1");
    client.track(later);
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(later.eventId());
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 1, 0, 0, 0, 0, 0, 0, 4));
  }

  @Test
  void noEventTrackedDuringTheOptOutStaysQueued() throws Exception {
    GameEventClient client = client(fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort())
        .setMaxAttempts(1));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong tracked = new AtomicLong();
    List<Thread> gameThreads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200_000 && !stop.get(); i++) {
          client.track(install("player_1"));
          tracked.incrementAndGet();
        }
      }, "game-thread-" + t);
      gameThreads.add(thread);
      thread.start();
    }
    Awaitility.waitAtMost(Duration.ofSeconds(30)).until(() -> tracked.get() >= 2_000);

    Future<Void> optedOut = client.optOut();
    // a track() racing with the opt-out either was refused or queued its event before the opt-out deleted it
    stop.set(true);
    for (Thread thread : gameThreads) {
      thread.join(60_000);
    }
    await(optedOut);

    assertThat(gameThreads).noneMatch(Thread::isAlive);
    assertThat(client.queuedEvents()).isZero();
  }
}
