package io.gameevents.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ThreadSafetyTest {

  private static final int THREADS = 8;
  private static final int SENDS_PER_THREAD = 20;
  private static final int TRACKS_PER_THREAD = 50;

  @Test
  void plainThreadsSendAndTrackConcurrently(Vertx vertx) throws Exception {
    ScriptedServer server = ScriptedServer.start(vertx);
    GameEventClient client = new GameEventClient(vertx, fastConfig(server.baseUrl()).setBatchMaxEvents(16));
    List<String> expectedIds = Collections.synchronizedList(new ArrayList<>());
    List<EventResponse> responses = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int threadNo = t;
      Thread thread = new Thread(() -> {
        try {
          start.await(60, SECONDS);
          for (int i = 0; i < TRACKS_PER_THREAD; i++) {
            InstallEvent tracked = InstallEvent.create("t" + threadNo + "_" + i, "com.game.test", "ios");
            expectedIds.add(tracked.eventId());
            assertThat(client.track(tracked)).isTrue();
            if (i < SENDS_PER_THREAD) {
              PurchaseEvent sent = PurchaseEvent.create("t" + threadNo, "com.game.test", "ios", "sku", 1, 1, "EUR");
              expectedIds.add(sent.eventId());
              responses.add(client.sendPurchase(sent).await(30, TimeUnit.SECONDS));
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "game-thread-" + t);
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(60_000);
    }
    await(client.flush());
    await(client.closeAsync());
    server.close();

    assertThat(errors).isEmpty();
    assertThat(responses).hasSize(THREADS * SENDS_PER_THREAD)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(EventStatus.ACCEPTED));
    List<String> received = server.requests().stream().flatMap(r -> r.events().stream())
        .map(e -> e.getString("event_id")).toList();
    assertThat(received).hasSize(THREADS * (SENDS_PER_THREAD + TRACKS_PER_THREAD))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expectedIds);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, THREADS * TRACKS_PER_THREAD, 0, 0, 0, 0));
  }
}
