package io.gameevents.sdk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.gameevents.sdk.ClientTestSupport.API_KEY;
import static io.gameevents.sdk.ClientTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder config, and what it fills into every event: app_id, platform, context and the SDK's name. */
@ExtendWith(VertxExtension.class)
class ClientDefaultsTest {

  /** The SDK's pom version, passed by surefire (sdk/pom.xml). */
  private static final String SDK_VERSION = System.getProperty("gameevents.sdk.version");
  private static final JsonObject SDK = new JsonObject().put("name", "game-events-java").put("version", SDK_VERSION);
  private static final EventContext DEVICE = EventContext.builder().appVersion("1.4.2").build("1402").os("iOS")
      .osVersion("17.1").deviceModel("iPhone15,2").deviceId("d-7f3a").locale("en-US").country("US")
      .sessionId("s-1").build();

  private Vertx vertx;
  private ScriptedServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = ScriptedServer.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private GameEventClientConfig.Builder builder() {
    return GameEventClientConfig.builder().baseUrl(server.baseUrl()).apiKey(API_KEY)
        .flushInterval(Duration.ofHours(1)).initialBackoff(Duration.ofMillis(20));
  }

  @Test
  void appIdPlatformAndContextAreFilledIntoEveryEventThatSetsNone() throws Exception {
    GameEventClient client = new GameEventClient(vertx, builder().appId("com.game.test").platform("android")
        .context(DEVICE).build());
    try {
      await(client.sendInstall(InstallEvent.create("player_1")));
      assertThat(client.track(PurchaseEvent.create("player_1", "gems", 1, 990_000, "EUR"))).isTrue();
      // the event's own values win; its context overrides the client's field by field
      assertThat(client.track(CustomEvent.create("level_up", "player_1", new JsonObject().put("level", 2))
          .withAppId("com.game.other").withPlatform("steam")
          .withContext(EventContext.builder().sessionId("s-2").build()))).isTrue();
      await(client.flush());
    } finally {
      await(client.closeAsync());
    }

    JsonObject install = server.requests().get(0).json();
    assertThat(install.getString("app_id")).isEqualTo("com.game.test");
    assertThat(install.getString("platform")).isEqualTo("android");
    assertThat(install.getJsonObject("context")).isEqualTo(new JsonObject().put("app_version", "1.4.2")
        .put("build", "1402").put("os", "iOS").put("os_version", "17.1").put("device_model", "iPhone15,2")
        .put("device_id", "d-7f3a").put("locale", "en-US").put("country", "US").put("session_id", "s-1")
        .put("sdk", SDK));
    List<JsonObject> batch = server.requests().get(1).events();
    assertThat(batch.get(0).getString("app_id")).isEqualTo("com.game.test");
    assertThat(batch.get(0).getJsonObject("context").getString("session_id")).isEqualTo("s-1");
    assertThat(batch.get(1).getString("app_id")).isEqualTo("com.game.other");
    assertThat(batch.get(1).getString("platform")).isEqualTo("steam");
    assertThat(batch.get(1).getJsonObject("context").getString("session_id")).isEqualTo("s-2");
    assertThat(batch.get(1).getJsonObject("context").getString("device_id")).isEqualTo("d-7f3a");
  }

  @Test
  void withoutAnyContextNoContextKeyIsSent() throws Exception {
    GameEventClient client = new GameEventClient(vertx, builder().build());
    try {
      await(client.sendInstall(InstallEvent.create("player_1", "com.game.test", "ios")));
    } finally {
      await(client.closeAsync());
    }

    assertThat(server.requests().get(0).json().fieldNames()).doesNotContain("context")
        .contains("app_id", "platform");
    assertThat(SDK_VERSION).isNotBlank();
  }

  @Test
  void anEventWithoutAppIdOnAClientWithoutOneIsRefusedNamingTheFix() {
    GameEventClient client = new GameEventClient(vertx, builder().platform("ios").build());
    try {
      assertThatThrownBy(() -> client.track(InstallEvent.create("player_1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no app_id").hasMessageContaining("GameEventClientConfig.builder().appId(...)");
    } finally {
      client.closeAsync();
    }
    GameEventClient noPlatform = new GameEventClient(vertx, builder().appId("com.game.test").build());
    try {
      assertThatThrownBy(() -> noPlatform.send(InstallEvent.create("player_1")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no platform");
    } finally {
      noPlatform.closeAsync();
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aBuiltConfigIsImmutableAndToBuilderMakesAChangedCopy() {
    GameEventClientConfig built = builder().appId("com.game.test").maxAttempts(3).build();

    assertThatThrownBy(() -> built.setMaxAttempts(5)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("toBuilder()");
    GameEventClientConfig changed = built.toBuilder().maxAttempts(5).build();
    assertThat(changed.getMaxAttempts()).isEqualTo(5);
    assertThat(changed.getAppId()).isEqualTo("com.game.test");
    assertThat(built.getMaxAttempts()).isEqualTo(3);
    assertThatThrownBy(() -> GameEventClientConfig.builder().baseUrl(server.baseUrl()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey(...)");
    assertThatThrownBy(() -> GameEventClientConfig.builder().platform("iOS"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("platform");
    assertThatThrownBy(() -> EventContext.builder().country("us"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context.country");
    assertThatThrownBy(() -> EventContext.builder().locale("en_US"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context.locale");
    // the seed's constructor and setters keep working
    assertThat(new GameEventClientConfig(server.baseUrl(), API_KEY).setMaxAttempts(2).getMaxAttempts()).isEqualTo(2);
  }

  @Test
  void tryWithResourcesOnItsOwnVertxFlushesAtCloseAndCompletionStagesWork() throws Exception {
    GameEventClient closedClient;
    EventResponse response;
    InstallEvent tracked = InstallEvent.create("player_2");
    try (GameEventClient client = new GameEventClient(builder().appId("com.game.test").platform("ios").build())) {
      closedClient = client;
      CompletableFuture<EventResponse> sent = client.sendInstall(InstallEvent.create("player_1"))
          .toCompletionStage().toCompletableFuture();
      response = sent.get(30, TimeUnit.SECONDS);
      assertThat(client.track(tracked)).isTrue();
    }

    assertThat(response.status()).isEqualTo(EventStatus.ACCEPTED);
    assertThat(response.requestId()).isEqualTo(server.requests().get(0).headers().get("X-Request-Id"));
    assertThat(closedClient.closeAsync().isComplete()).isTrue();
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events().get(0).getString("event_id")).isEqualTo(tracked.eventId());
    assertThatThrownBy(() -> closedClient.track(InstallEvent.create("late"))).isInstanceOf(IllegalStateException.class);
  }
}
