package io.gameevents.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With the disk queue on, a game thread's {@code track()} never waits for the journal's disk writes. */
@ExtendWith(VertxExtension.class)
class TrackNeverWaitsOnTheDiskTest {

  @TempDir
  Path directory;

  /** The real journal, whose writes wait until the test lets them through, as on a stalled disk. */
  private static final class StalledDisk implements Journal {
    private final Journal disk;
    private final CountDownLatch unstall = new CountDownLatch(1);
    private final List<String> log;

    StalledDisk(Journal disk, List<String> log) {
      this.disk = disk;
      this.log = log;
    }

    @Override
    public List<String> recovered() {
      return disk.recovered();
    }

    @Override
    public boolean optedOut() {
      return disk.optedOut();
    }

    @Override
    public void recordOptOut(Collection<String> live) throws java.io.IOException {
      disk.recordOptOut(live);
    }

    @Override
    public void recordOptIn() throws java.io.IOException {
      disk.recordOptIn();
    }

    @Override
    public void write(List<String> lines, int removals) {
      log.add("write " + lines.size());
      try {
        unstall.await(60, SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      disk.write(lines, removals);
    }

    @Override
    public void sync() {
      log.add("sync");
      disk.sync();
    }

    @Override
    public boolean wantsCompaction(int liveCount) {
      return disk.wantsCompaction(liveCount);
    }

    @Override
    public void tryCompact(Collection<String> live) {
      disk.tryCompact(live);
    }

    @Override
    public void close(Collection<String> live) {
      disk.close(live);
    }
  }

  @Test
  void trackReturnsFromAnyThreadWhileTheJournalIsStuckWritingAndNothingIsSentBeforeItIsOnDisk(Vertx vertx)
      throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    ScriptedServer server = ScriptedServer.start(vertx);
    server.then(request -> {
      log.add("request " + request.events().size());
      return ScriptedServer.healthyAnswer(request);
    });
    StalledDisk[] stalled = new StalledDisk[1];
    GameEventClient client = new GameEventClient(vertx, fastConfig(server.baseUrl()).setQueueDirectory(directory),
        (dir, name) -> stalled[0] = new StalledDisk(EventJournal.open(dir, name), log));
    ExecutorService otherGameThread = Executors.newSingleThreadExecutor();
    try {
      InstallEvent first = InstallEvent.create("player_1", "com.game.test", "ios");
      InstallEvent second = InstallEvent.create("player_2", "com.game.test", "ios");
      InstallEvent third = InstallEvent.create("player_3", "com.game.test", "ios");

      assertThat(client.track(first)).isTrue();
      // the client's worker is now inside the journal's disk write, and stays there
      await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("write 1"));

      CompletableFuture<Boolean> fromAnotherThread =
          CompletableFuture.supplyAsync(() -> client.track(second), otherGameThread);
      await().atMost(Duration.ofSeconds(10)).until(fromAnotherThread::isDone);
      assertThat(fromAnotherThread.get()).isTrue();
      assertThat(client.track(third)).isTrue();
      assertThat(client.queuedEvents()).isEqualTo(3);
      assertThat(log).containsExactly("write 1");

      io.vertx.core.Future<Void> flushed = client.flush();
      stalled[0].unstall.countDown();
      await(flushed);

      // every event was on disk (written, then forced) before the batch carrying it left
      assertThat(log).containsSubsequence("write 1", "write 2", "sync", "request 3");
      assertThat(server.requests()).hasSize(1);
      assertThat(server.requests().get(0).events()).extracting(e -> e.getString("event_id"))
          .containsExactly(first.eventId(), second.eventId(), third.eventId());
    } finally {
      otherGameThread.shutdownNow();
      await(client.closeAsync());
      server.close();
    }
    assertThat(Files.readAllLines(directory.resolve("default.events.ndjson"))).isEmpty();
  }

  @Test
  void optOutReturnsWhileTheJournalIsStuckWritingAndItsDiskWorkFollowsOnTheClientsThread(Vertx vertx)
      throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    StalledDisk[] stalled = new StalledDisk[1];
    GameEventClient client = new GameEventClient(vertx,
        fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort()).setMaxAttempts(1)
            .setQueueDirectory(directory),
        (dir, name) -> stalled[0] = new StalledDisk(EventJournal.open(dir, name), log));
    ExecutorService gameThread = Executors.newSingleThreadExecutor();
    try {
      assertThat(client.track(InstallEvent.create("player_1", "com.game.test", "ios"))).isTrue();
      // the client's worker is now inside the journal's disk write, and stays there
      await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("write 1"));

      CompletableFuture<io.vertx.core.Future<Void>> optingOut =
          CompletableFuture.supplyAsync(client::optOut, gameThread);
      await().atMost(Duration.ofSeconds(10)).until(optingOut::isDone);
      io.vertx.core.Future<Void> recorded = optingOut.get();

      assertThat(client.optedOut()).isTrue();
      assertThat(client.track(InstallEvent.create("player_1", "com.game.test", "ios"))).isFalse();
      assertThat(client.queuedEvents()).isZero();
      // the choice reaches the disk after the stuck write, on the client's worker
      assertThat(recorded.isComplete()).isFalse();
      assertThat(directory.resolve("default.opted-out")).doesNotExist();

      stalled[0].unstall.countDown();
      await(recorded);
      assertThat(directory.resolve("default.opted-out")).exists();
      assertThat(Files.readAllLines(directory.resolve("default.events.ndjson"))).isEmpty();
    } finally {
      gameThread.shutdownNow();
      stalled[0].unstall.countDown();
      await(client.closeAsync());
    }
  }

  @Test
  void eventsTrackedJustBeforeCloseAreJournaledForTheNextClient(Vertx vertx) throws Exception {
    GameEventClient offline = new GameEventClient(vertx,
        fastConfig("http://127.0.0.1:" + ClientTestSupport.closedPort()).setMaxAttempts(1)
            .setQueueDirectory(directory));
    InstallEvent event = InstallEvent.create("player_1", "com.game.test", "ios").withProperty("level", 3);

    assertThat(offline.track(event)).isTrue();
    await(offline.closeAsync());

    assertThat(Files.readAllLines(directory.resolve("default.events.ndjson")))
        .extracting(line -> new JsonObject(line).getString("event_id")).containsExactly(event.eventId());
  }
}
