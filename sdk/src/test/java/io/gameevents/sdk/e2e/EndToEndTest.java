package io.gameevents.sdk.e2e;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.sdk.ClientStats;
import io.gameevents.sdk.CustomEvent;
import io.gameevents.sdk.EventContext;
import io.gameevents.sdk.EventResponse;
import io.gameevents.sdk.EventStatus;
import io.gameevents.sdk.FieldError;
import io.gameevents.sdk.GameEventClient;
import io.gameevents.sdk.GameEventClientConfig;
import io.gameevents.sdk.InstallEvent;
import io.gameevents.sdk.PurchaseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import static io.gameevents.sdk.e2e.FaultProxy.Fault.DROP_AFTER_FORWARD;
import static io.gameevents.sdk.e2e.FaultProxy.Fault.TOO_MANY_429;
import static io.gameevents.sdk.e2e.FaultProxy.Fault.UNAVAILABLE_503;
import static io.gameevents.sdk.e2e.RealServer.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK against the real ingestion service (its fat jar, file sink), with faults injected by a proxy.
 * Skipped when the jar has not been built.
 */
class EndToEndTest {

  private static Path serverDirectory;
  private static RealServer server;
  private static Vertx vertx;

  @TempDir
  Path testDirectory;
  private FaultProxy proxy;
  private final List<GameEventClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    Path jar = RealServer.jar();
    if (!Files.isRegularFile(jar)) {
      return; // every test is skipped, with the reason, by requireServer()
    }
    serverDirectory = Files.createTempDirectory("game-events-e2e");
    server = RealServer.start(jar, serverDirectory);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (vertx != null) {
      vertx.close().await(60, SECONDS);
    }
  }

  @BeforeEach
  void requireServerAndStartProxy() throws Exception {
    RealServer.skipUnless(server != null);
    proxy = FaultProxy.start(vertx, server.port());
  }

  @AfterEach
  void stopClientsAndProxy() throws Exception {
    for (GameEventClient client : clients) {
      await(client.closeAsync());
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private GameEventClient client(String baseUrl, Function<GameEventClientConfig, GameEventClientConfig> tune) {
    GameEventClient client = new GameEventClient(vertx, tune.apply(
        new GameEventClientConfig(baseUrl, RealServer.API_KEY)
            .setInitialBackoff(Duration.ofMillis(50))
            .setMaxBackoff(Duration.ofMillis(500))
            .setFlushInterval(Duration.ofHours(1))));
    clients.add(client);
    return client;
  }

  private GameEventClient throughProxy() {
    return client(proxy.baseUrl(), c -> c);
  }

  @Test
  void seedFlowInstallThenPurchaseAreAcceptedAndStored() throws Exception {
    GameEventClient client = client(server.baseUrl(), c -> c);
    InstallEvent install = InstallEvent.create("player_1", APP_ID, "ios");
    PurchaseEvent purchase = PurchaseEvent.create("player_1", APP_ID, "ios", "gems_pack_01", 1, 4_990_000, "EUR");

    EventResponse installResponse = await(client.sendInstall(install));
    EventResponse purchaseResponse = await(client.sendPurchase(purchase));

    assertThat(installResponse.httpStatus()).isEqualTo(200);
    assertThat(installResponse.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(new JsonObject(installResponse.body()))
        .isEqualTo(new JsonObject().put("status", "accepted").put("event_id", install.eventId()));
    assertThat(purchaseResponse.httpStatus()).isEqualTo(200);
    assertThat(new JsonObject(purchaseResponse.body()))
        .isEqualTo(new JsonObject().put("status", "accepted").put("event_id", purchase.eventId()));

    Map<String, JsonObject> stored = storedOnce(List.of(install.eventId(), purchase.eventId()));
    JsonObject installRecord = stored.get(install.eventId());
    assertThat(installRecord.getString("event_type")).isEqualTo("install");
    assertThat(installRecord.getString("app_id")).isEqualTo(APP_ID);
    assertThat(installRecord.getString("player_id")).isEqualTo("player_1");
    assertThat(installRecord.getString("platform")).isEqualTo("ios");
    assertThat(installRecord.getString("client_occurred_at")).isEqualTo(install.toJson().getString("occurred_at"));
    JsonObject purchaseRecord = stored.get(purchase.eventId());
    assertThat(purchaseRecord.getString("event_type")).isEqualTo("purchase");
    assertThat(purchaseRecord.getString("product_id")).isEqualTo("gems_pack_01");
    assertThat(purchaseRecord.getInteger("quantity")).isEqualTo(1);
    assertThat(purchaseRecord.getLong("amount_micros")).isEqualTo(4_990_000L);
    assertThat(purchaseRecord.getString("currency")).isEqualTo("EUR");
    JsonObject rawPayload = purchaseRecord.getJsonObject("raw_payload");
    assertThat(rawPayload.getString("event_id")).isEqualTo(purchase.eventId());
    assertThat(rawPayload.getString("sent_at")).isNotBlank();
  }

  /** Needs the server's event contract with {@code context} (issue 11): each field is a column of the record. */
  @Test
  void theClientsContextIsStoredInTheRecordsColumnsAndTheEventsOwnFieldsWin() throws Exception {
    GameEventClient client = new GameEventClient(vertx, GameEventClientConfig.builder()
        .baseUrl(server.baseUrl()).apiKey(RealServer.API_KEY).appId(APP_ID).platform("android")
        .flushInterval(Duration.ofHours(1))
        .context(EventContext.builder().appVersion("1.4.2").build("1402").os("Android").osVersion("14")
            .deviceModel("SM-S918B").deviceId("d-7f3a").locale("pt-BR").country("BR").sessionId("s-1").build())
        .build());
    clients.add(client);
    InstallEvent sent = InstallEvent.create("player_ctx");
    PurchaseEvent tracked = PurchaseEvent.create("player_ctx", "gems_pack_01", 1, 990_000, "BRL")
        .withContext(EventContext.builder().sessionId("s-2").build());

    assertThat(await(client.sendInstall(sent)).status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(client.track(tracked)).isTrue();
    await(client.flush());

    Map<String, JsonObject> stored = storedOnce(List.of(sent.eventId(), tracked.eventId()));
    JsonObject install = stored.get(sent.eventId());
    assertThat(install.getString("app_id")).isEqualTo(APP_ID);
    assertThat(install.getString("platform")).isEqualTo("android");
    assertThat(install.getString("app_version")).isEqualTo("1.4.2");
    assertThat(install.getString("os")).isEqualTo("Android");
    assertThat(install.getString("os_version")).isEqualTo("14");
    assertThat(install.getString("device_model")).isEqualTo("SM-S918B");
    assertThat(install.getString("device_id")).isEqualTo("d-7f3a");
    assertThat(install.getString("locale")).isEqualTo("pt-BR");
    assertThat(install.getString("country")).isEqualTo("BR");
    assertThat(install.getString("session_id")).isEqualTo("s-1");
    assertThat(install.getJsonObject("raw_payload").getJsonObject("context").getJsonObject("sdk")).isEqualTo(
        new JsonObject().put("name", "game-events-java").put("version", System.getProperty("gameevents.sdk.version")));
    JsonObject purchase = stored.get(tracked.eventId());
    assertThat(purchase.getString("session_id")).isEqualTo("s-2");
    assertThat(purchase.getString("device_id")).isEqualTo("d-7f3a");
    assertThat(purchase.getString("currency")).isEqualTo("BRL");
  }

  @Test
  void theSameEventTwiceIsAnsweredDuplicateAndStoredOnce() throws Exception {
    GameEventClient client = client(server.baseUrl(), c -> c);
    InstallEvent install = InstallEvent.create("player_dup", APP_ID, "android");

    EventResponse first = await(client.sendInstall(install));
    EventResponse second = await(client.sendInstall(install));

    assertThat(first.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(second.status()).isEqualTo(EventStatus.DUPLICATE);
    assertThat(second.delivered()).isTrue();
    assertThat(new JsonObject(second.body()))
        .isEqualTo(new JsonObject().put("status", "duplicate").put("event_id", install.eventId()));
    storedOnce(List.of(install.eventId()));
  }

  @Test
  void injected503IsRetriedAndTheEventStoredOnce() throws Exception {
    proxy.inject(UNAVAILABLE_503);
    PurchaseEvent purchase = PurchaseEvent.create("player_503", APP_ID, "ios", "gems_pack_01", 1, 990_000, "USD");

    EventResponse response = await(throughProxy().sendPurchase(purchase));

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(response.attempts()).isEqualTo(2);
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(503, 200);
    storedOnce(List.of(purchase.eventId()));
  }

  @Test
  void injected429WithRetryAfterIsRetriedAndTheEventStoredOnce() throws Exception {
    proxy.inject(TOO_MANY_429);
    InstallEvent install = InstallEvent.create("player_429", APP_ID, "web");

    EventResponse response = await(throughProxy().sendInstall(install));

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(429, 200);
    storedOnce(List.of(install.eventId()));
  }

  @Test
  void overItsRateLimitTheClientSplitsWhatExceedsTheBurstWaitsRetryAfterAndStoresEveryEventOnce() throws Exception {
    GameEventClient client = new GameEventClient(vertx,
        new GameEventClientConfig(proxy.baseUrl(), RealServer.LIMITED_KEY).setInitialBackoff(Duration.ofMillis(50))
            .setMaxBackoff(Duration.ofMillis(500)).setFlushInterval(Duration.ofHours(1)));
    clients.add(client);
    List<String> ids = trackInstalls(client, 8, "player_limited_");

    await(client.flush());

    // 8 > burst 5: 413, split in 4 + 4; the first 4 fit, the next 4 find 1 left: 429, retried after Retry-After
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(413, 200, 429, 200);
    storedOnce(ids);
    assertThat(client.stats().accepted()).isEqualTo(8);
  }

  @Test
  void aLostAnswerIsRetriedAndAnsweredDuplicateStoredOnce() throws Exception {
    proxy.inject(DROP_AFTER_FORWARD);
    InstallEvent install = InstallEvent.create("player_drop", APP_ID, "switch");

    EventResponse response = await(throughProxy().sendInstall(install));

    assertThat(response.status()).isEqualTo(EventStatus.DUPLICATE);
    assertThat(response.attempts()).isEqualTo(2);
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(0, 200);
    storedOnce(List.of(install.eventId()));
  }

  @Test
  void anEventTheServerRefusesIsReportedAndNotRetried() throws Exception {
    // DEM is a valid java.util.Currency (historic) but not an active ISO 4217 code: only the server knows
    PurchaseEvent purchase = PurchaseEvent.create("player_400", APP_ID, "ios", "gems_pack_01", 1, 990_000, "DEM");
    CustomEvent unknownType = CustomEvent.create("not_registered", "player_404", APP_ID, "ios", null);
    GameEventClient client = throughProxy();

    EventResponse badRequest = await(client.sendPurchase(purchase));
    EventResponse notFound = await(client.send(unknownType));
    // longer than the max backoff: a wrong retry would have reached the proxy
    Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
        .until(() -> proxy.passed().size() == 2);

    assertThat(badRequest.httpStatus()).isEqualTo(400);
    assertThat(badRequest.status()).isEqualTo(EventStatus.REJECTED);
    assertThat(badRequest.fieldErrors()).extracting(FieldError::pointer).contains("/currency");
    assertThat(badRequest.problem().status()).isEqualTo(400);
    assertThat(notFound.httpStatus()).isEqualTo(404);
    assertThat(notFound.status()).isEqualTo(EventStatus.REJECTED);
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(400, 404);
    assertThat(server.records(List.of(purchase.eventId(), unknownType.eventId()))).isEmpty();
  }

  @Test
  void trackedEventsAreBatchedFlushedGzippedAndStoredOnce() throws Exception {
    GameEventClient client = client(proxy.baseUrl(), c -> c.setBatchMaxEvents(10).setGzipThresholdBytes(1024));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      PurchaseEvent purchase = PurchaseEvent.create("player_b" + i, APP_ID, "steam", "sku_" + i, 1, i, "EUR");
      assertThat(client.track(purchase)).isTrue();
      ids.add(purchase.eventId());
    }

    await(client.flush());

    assertThat(proxy.passed()).extracting(FaultProxy.Passed::path).containsOnly("/v1/batch").hasSize(3);
    assertThat(proxy.passed()).extracting(FaultProxy.Passed::contentEncoding).containsOnly("gzip");
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 25, 0, 0, 0, 0));
    Map<String, JsonObject> stored = storedOnce(ids);
    assertThat(stored.get(ids.get(7)).getLong("amount_micros")).isEqualTo(7L);
  }

  @Test
  void aBatchWhoseAnswerWasLostIsResentAndCountedAsDuplicates() throws Exception {
    proxy.inject(DROP_AFTER_FORWARD);
    GameEventClient client = throughProxy();
    List<String> ids = trackInstalls(client, 4, "player_lost");

    await(client.flush());

    assertThat(proxy.passed()).extracting(FaultProxy.Passed::answeredStatus).containsExactly(0, 200);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 4, 0, 0, 0));
    storedOnce(ids);
  }

  @Test
  void aFullQueueDropsAndCountsTheNewestEvents() throws Exception {
    GameEventClient client = client(server.baseUrl(), c -> c.setMaxQueuedEvents(5));
    List<String> ids = new ArrayList<>();
    List<Boolean> queued = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      InstallEvent install = InstallEvent.create("player_full" + i, APP_ID, "xbox");
      queued.add(client.track(install));
      ids.add(install.eventId());
    }

    await(client.flush());

    assertThat(queued).containsExactly(true, true, true, true, true, false, false, false);
    assertThat(client.droppedEvents()).isEqualTo(3);
    storedOnce(ids.subList(0, 5));
    assertThat(server.records(ids.subList(5, 8))).isEmpty();
  }

  @Test
  void theDiskQueueDeliversAfterARestartWhatWasTrackedOffline() throws Exception {
    Path queueDirectory = testDirectory.resolve("queue");
    int nothingListening;
    try (ServerSocket socket = new ServerSocket(0)) {
      nothingListening = socket.getLocalPort();
    }
    GameEventClient offline = new GameEventClient(vertx,
        new GameEventClientConfig("http://127.0.0.1:" + nothingListening, RealServer.API_KEY)
            .setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(20)).setQueueDirectory(queueDirectory));
    List<String> ids = trackInstalls(offline, 6, "player_offline");
    await(offline.closeAsync());
    assertThat(server.records(ids)).isEmpty();

    GameEventClient online = client(server.baseUrl(), c -> c.setQueueDirectory(queueDirectory));
    assertThat(online.queuedEvents()).isEqualTo(6);
    await(online.flush());

    storedOnce(ids);
    assertThat(online.stats().queued()).isZero();
  }

  private static List<String> trackInstalls(GameEventClient client, int count, String playerPrefix) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InstallEvent install = InstallEvent.create(playerPrefix + i, APP_ID, "ios");
      assertThat(client.track(install)).isTrue();
      ids.add(install.eventId());
    }
    return ids;
  }

  /** Each id is in the sink exactly once (acknowledged events are already durable); returns them by id. */
  private static Map<String, JsonObject> storedOnce(List<String> ids) throws Exception {
    List<JsonObject> records = server.records(ids);
    assertThat(records).extracting(r -> r.getString("event_id")).containsExactlyInAnyOrderElementsOf(ids);
    return records.stream().collect(Collectors.toMap(r -> r.getString("event_id"), r -> r));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }
}
