package io.gameevents.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.config.RefusedConfig;
import io.gameevents.config.Section;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.delivery.sinks.SinkTypes;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.gameevents.http.validation.Validation;
import io.gameevents.http.refused.RefusedStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which refusals may be kept at all: never a suppressed player's or device's, nor one under an app not writable. */
class RefusedKeepingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A request's context with nothing set: the record's request id is then empty. */
  private static final RoutingContext CTX = (RoutingContext) Proxy.newProxyInstance(
      RefusedKeepingTest.class.getClassLoader(), new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> null);

  @Test
  void aSuppressedPlayersOrDevicesEventIsNeverKept(@TempDir Path dir) throws Exception {
    RefusedStore store = RefusedStore.of(RefusedConfig.from(new Section("refused", new JsonObject())),
        DeliveryConfig.from(new Section("delivery", new JsonObject().put("file",
            new JsonObject().put("directory", dir.resolve("events").toString()))), SinkTypes.ALL),
        100, new SimpleMeterRegistry(), System::nanoTime,
        (app, player, device) -> "com.game.test".equals(app) && ("player_2".equals(player) || "device-9".equals(device)));
    RefusedKeeping keeping = new RefusedKeeping(store, store.writer(null));
    Principal principal = new Principal("dev", Set.of("com.game.test"));

    assertThat(candidate(keeping, principal, "{\"app_id\":\"com.game.test\",\"player_id\":\"player_1\"}").line())
        .isNotNull();
    assertThat(candidate(keeping, principal, "{\"app_id\":\"com.game.test\",\"player_id\":\"player_2\"}").line())
        .as("suppressed player").isNull();
    assertThat(candidate(keeping, principal,
        "{\"app_id\":\"com.game.test\",\"player_id\":\"player_1\",\"context\":{\"device_id\":\"device-9\"}}").line())
        .as("suppressed device").isNull();
    assertThat(candidate(keeping, principal, "{\"app_id\":\"com.other.game\",\"player_id\":\"player_1\"}").line())
        .as("an app the key may not write").isNull();
  }

  @Test
  void theRecordsEventTypeIsTheEventsOwnAndThePathsOnlyWhenItNamesNone(@TempDir Path dir) throws Exception {
    RefusedStore store = RefusedStore.of(RefusedConfig.from(new Section("refused", new JsonObject())),
        DeliveryConfig.from(new Section("delivery", new JsonObject().put("file",
            new JsonObject().put("directory", dir.resolve("events").toString()))), SinkTypes.ALL),
        100, new SimpleMeterRegistry(), System::nanoTime, (app, player, device) -> false);
    RefusedKeeping keeping = new RefusedKeeping(store, store.writer(null));
    Principal principal = new Principal("dev", Set.of("com.game.test"));

    // candidate() sends each to /v1/events/install
    String namesPurchase = "{\"app_id\":\"com.game.test\",\"event_type\":\"purchase\"}";
    assertThat(eventType(candidate(keeping, principal, namesPurchase))).isEqualTo("purchase");
    assertThat(eventType(candidate(keeping, principal, "{\"app_id\":\"com.game.test\"}"))).isEqualTo("install");
  }

  private static String eventType(RefusedKeeping.Candidate candidate) {
    return new JsonObject(new String(candidate.line(), StandardCharsets.UTF_8)).getString("event_type");
  }

  private static RefusedKeeping.Candidate candidate(RefusedKeeping keeping, Principal principal, String event)
      throws Exception {
    byte[] raw = event.getBytes(StandardCharsets.UTF_8);
    return keeping.event(CTX, principal, Instant.now(), new BodyDecoder.RawEvent(JSON.readTree(raw), raw), "install",
        new Validation.Invalid(Reason.INVALID_EVENT, "wrong", List.of(), 1), new JsonArray());
  }
}
