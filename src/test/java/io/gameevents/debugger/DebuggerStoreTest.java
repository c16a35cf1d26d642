package io.gameevents.debugger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.config.AdminConfig;
import io.gameevents.config.AuthConfig;
import io.gameevents.config.DebuggerConfig;
import io.gameevents.config.Secret;
import io.gameevents.http.OperatorTools;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.pipeline.Outcome;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An erasure takes the subject's entries out of the debugger's buffer: no stream finds them, everyone else's stay. */
class DebuggerStoreTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final OperatorTools.Asker ASKER = new OperatorTools.Asker("r", "k", null, System.nanoTime());

  private final Debugger debugger = new Debugger(DebuggerConfig.DEFAULTS,
      AdminTokens.from(new AdminConfig(List.of(new AdminConfig.Token("ops", new Secret("test-admin-secret", null)))),
          new AuthConfig(List.of(), null)), "local", 8000, new SimpleMeterRegistry());

  private void accepted(String eventId, String player, String device) throws Exception {
    String event = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"install\",\"player_id\":\"" + player
        + "\",\"app_id\":\"game-a\",\"context\":{\"device_id\":\"" + device + "\"}}";
    String record = "{\"event_id\":\"" + eventId + "\",\"player_id\":\"" + player + "\",\"app_id\":\"game-a\","
        + "\"device_id\":\"" + device + "\"}";
    byte[] raw = event.getBytes(StandardCharsets.UTF_8);
    debugger.seen(new OperatorTools.Handled(ASKER, MAPPER.readTree(raw), "install", raw, Outcome.ACCEPTED,
        record.getBytes(StandardCharsets.UTF_8), null));
  }

  private void rejected(String eventId, String player, String device) throws Exception {
    byte[] raw = ("{\"event_id\":\"" + eventId + "\",\"player_id\":\"" + player + "\",\"app_id\":\"game-a\","
        + "\"context\":{\"device_id\":\"" + device + "\"}}").getBytes(StandardCharsets.UTF_8);
    debugger.seen(new OperatorTools.Rejected(ASKER, MAPPER.readTree(raw), raw, new JsonArray(), null));
  }

  private List<String> visible() {
    List<String> ids = new ArrayList<>();
    EventRing ring = debugger.ring();
    for (long seq = 0; seq < ring.next(); seq++) {
      if (ring.at(seq) instanceof EventRing.Found found) {
        ids.add(found.entry().eventId());
      }
    }
    return ids;
  }

  @Test
  void aPlayersAcceptedAndRejectedEntriesAreGoneAndOthersStay() throws Exception {
    accepted("e-1", "alice", "d-a");
    accepted("e-2", "bob", "d-b");
    rejected("e-3", "alice", "d-a");
    accepted("e-4", "carol", "d-c");

    StoreReceipt receipt = new DebuggerStore(debugger, Clock.systemUTC())
        .erase(new Subject("game-a", Subject.Kind.PLAYER, "alice"));

    assertThat(receipt.store()).isEqualTo("debugger");
    assertThat(receipt.recordsRemoved()).isEqualTo(2);
    assertThat(visible()).containsExactly("e-2", "e-4");
    assertThat(new DebuggerStore(debugger, Clock.systemUTC())
        .erase(new Subject("game-a", Subject.Kind.PLAYER, "alice")).recordsRemoved()).as("idempotent").isZero();
  }

  @Test
  void aDeviceIsFoundInTheRecordAndInARejectedEventsContext() throws Exception {
    accepted("e-1", "alice", "d-shared");
    rejected("e-2", "bob", "d-shared");
    accepted("e-3", "bob", "d-b");

    StoreReceipt receipt = new DebuggerStore(debugger, Clock.systemUTC())
        .erase(new Subject("game-a", Subject.Kind.DEVICE, "d-shared"));

    assertThat(receipt.recordsRemoved()).isEqualTo(2);
    assertThat(visible()).containsExactly("e-3");
  }
}
