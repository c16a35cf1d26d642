package io.gameevents.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gameevents.config.AdminConfig;
import io.gameevents.config.AuthConfig;
import io.gameevents.config.DebuggerConfig;
import io.gameevents.config.Secret;
import io.gameevents.http.OperatorTools;
import io.gameevents.http.auth.AdminTokens;
import io.gameevents.pipeline.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event passing the hook while no stream is open costs references only: nothing is looked up in its parsed
 * tree and nothing is rendered; a stream that reads it later gets the JSON the debugger has always sent for it
 * (the expected texts below were taken from the debugger before the hook was made lazy, for the same events).
 */
class EntryRenderedWhenReadTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String EVENT = "{\"event_id\":\"e-1\",\"event_type\":\"purchase\",\"app_id\":\"game-a\","
      + "\"player_id\":\"alice\",\"platform\":\"ios\",\"occurred_at\":\"2026-12-01T10:00:00Z\","
      + "\"properties\":{\"sku\":\"gems_100\",\"price\":1.99}}";
  private static final String RECORD = "{\"event_id\":\"e-1\",\"event_type\":\"purchase\",\"app_id\":\"game-a\","
      + "\"player_id\":\"alice\",\"properties\":{\"sku\":\"gems_100\"},\"raw_payload\":" + EVENT + "}";

  private static final String SHOWN_ACCEPTED = "{\"seq\":0,\"node\":\"local\",\"request_id\":\"req-1\","
      + "\"app_id\":\"game-a\",\"event_type\":\"purchase\",\"event_id\":\"e-1\",\"player_id\":\"alice\","
      + "\"platform\":\"ios\",\"key_id\":\"key-1\",\"client\":\"203.0.113.9\",\"status\":\"accepted\","
      + "\"received_bytes\":179,\"received\":{\"event_id\":\"e-1\",\"event_type\":\"purchase\",\"app_id\":\"game-a\","
      + "\"player_id\":\"alice\",\"platform\":\"ios\",\"occurred_at\":\"2026-12-01T10:00:00Z\","
      + "\"properties\":\"(not shown: debugger.show_properties is off)\"},\"stored\":{\"event_id\":\"e-1\","
      + "\"event_type\":\"purchase\",\"app_id\":\"game-a\",\"player_id\":\"alice\","
      + "\"properties\":\"(not shown: debugger.show_properties is off)\",\"raw_payload\":{\"event_id\":\"e-1\","
      + "\"event_type\":\"purchase\",\"app_id\":\"game-a\",\"player_id\":\"alice\",\"platform\":\"ios\","
      + "\"occurred_at\":\"2026-12-01T10:00:00Z\",\"properties\":\"(not shown: debugger.show_properties is off)\"}}}";

  private static final String SHOWN_SUPPRESSED = "{\"seq\":1,\"node\":\"local\",\"request_id\":\"req-1\","
      + "\"app_id\":\"game-a\",\"event_type\":\"purchase\",\"event_id\":\"e-1\",\"player_id\":\"alice\","
      + "\"platform\":\"ios\",\"key_id\":\"key-1\",\"client\":\"203.0.113.9\",\"status\":\"suppressed\","
      + "\"detail\":\"its player or device asked not to be tracked (privacy request): stored nowhere\","
      + "\"received_bytes\":179,\"received\":{\"event_id\":\"e-1\",\"event_type\":\"purchase\","
      + "\"app_id\":\"game-a\",\"player_id\":\"alice\",\"platform\":\"ios\",\"occurred_at\":\"2026-12-01T10:00:00Z\","
      + "\"properties\":\"(not shown: debugger.show_properties is off)\"}}";

  private static final String SHOWN_REJECTED = "{\"seq\":2,\"node\":\"local\",\"request_id\":\"req-1\","
      + "\"app_id\":\"game-a\",\"event_type\":\"purchase\",\"event_id\":\"e-1\",\"player_id\":\"alice\","
      + "\"platform\":\"ios\",\"key_id\":\"key-1\",\"client\":\"203.0.113.9\",\"status\":\"rejected\","
      + "\"errors\":[{\"pointer\":\"/occurred_at\",\"message\":\"is too old\"}],\"kept\":true,"
      + "\"received_bytes\":179,\"received\":{\"event_id\":\"e-1\",\"event_type\":\"purchase\","
      + "\"app_id\":\"game-a\",\"player_id\":\"alice\",\"platform\":\"ios\",\"occurred_at\":\"2026-12-01T10:00:00Z\","
      + "\"properties\":\"(not shown: debugger.show_properties is off)\"}}";

  private static final String SHOWN_REFUSED = "{\"seq\":3,\"node\":\"local\",\"request_id\":\"req-1\",\"app_id\":null,"
      + "\"event_type\":null,\"event_id\":null,\"player_id\":null,\"platform\":null,\"key_id\":\"key-1\","
      + "\"client\":\"203.0.113.9\",\"status\":\"rate_limited\","
      + "\"errors\":[{\"pointer\":\"\",\"message\":\"slow down\"}],\"detail\":\"over the key's rate\","
      + "\"received_bytes\":9,\"received\":\"(not shown: the body is not a JSON event, and "
      + "debugger.show_properties is off or player ids are masked)\"}";

  private static final OperatorTools.Asker ASKER =
      new OperatorTools.Asker("req-1", "key-1", "203.0.113.9", System.nanoTime());

  private final Debugger debugger = new Debugger(DebuggerConfig.DEFAULTS,
      AdminTokens.from(new AdminConfig(List.of(new AdminConfig.Token("ops", new Secret("test-admin-secret", null)))),
          new AuthConfig(List.of(), null)), "local", 8000, new SimpleMeterRegistry());

  @Test
  void aValidEventPassingUnwatchedIsNeitherLookedUpNorRenderedAndReadsLaterAsBefore() throws Exception {
    byte[] raw = bytes(EVENT);
    CountingTree accepted = CountingTree.of(raw);
    CountingTree suppressed = CountingTree.of(raw);
    long before = System.currentTimeMillis();

    debugger.seen(new OperatorTools.Handled(ASKER, accepted, "purchase", raw, Outcome.ACCEPTED, bytes(RECORD),
        null));
    debugger.seen(new OperatorTools.Suppressed(ASKER, suppressed, "purchase", raw));

    assertThat(accepted.reads.get()).as("lookups in the accepted event's tree").isZero();
    assertThat(suppressed.reads.get()).as("lookups in the suppressed event's tree").isZero();
    assertThat(entry(0).json).as("rendered before anyone read it").isNull();
    assertThat(entry(1).json).as("rendered before anyone read it").isNull();

    assertShown(entry(0), SHOWN_ACCEPTED, before);
    assertShown(entry(1), SHOWN_SUPPRESSED, before);
    assertThat(accepted.reads.get() + suppressed.reads.get()).as("read from the kept bytes, not the tree").isZero();
  }

  @Test
  void aBatchsValidEventsHandedOverTogetherReadAsEachAlone() throws Exception {
    byte[] raw = bytes(EVENT);
    CountingTree first = CountingTree.of(raw);
    CountingTree second = CountingTree.of(raw);
    long before = System.currentTimeMillis();

    debugger.seenAll(List.of(
        new OperatorTools.Handled(ASKER, first, "purchase", raw, Outcome.ACCEPTED, bytes(RECORD), null),
        new OperatorTools.Handled(ASKER, second, "purchase", raw, Outcome.ACCEPTED, bytes(RECORD), null)));

    assertThat(debugger.ring().next()).isEqualTo(2);
    assertThat(first.reads.get() + second.reads.get()).as("lookups in the events' trees").isZero();
    assertShown(entry(0), SHOWN_ACCEPTED, before);
    assertShown(entry(1), SHOWN_ACCEPTED.replace("\"seq\":0", "\"seq\":1"), before);
    assertThat(counted("statuses", "accepted")).isEqualTo(2);
    assertThat(counted("types", "purchase")).isEqualTo(2);
  }

  /** Over every minute of the chart: a minute may turn between the events and the look. */
  private long counted(String chart, String name) {
    long sum = 0;
    for (Object minute : debugger.counts().getJsonArray("minutes")) {
      sum += ((JsonObject) minute).getJsonObject(chart).getLong(name, 0L);
    }
    return sum;
  }

  @Test
  void aRejectedAndARefusedEventReadAsBefore() throws Exception {
    byte[] raw = bytes(EVENT);
    long before = System.currentTimeMillis();
    debugger.seen(new OperatorTools.Handled(ASKER, MAPPER.readTree(raw), "purchase", raw, Outcome.ACCEPTED,
        bytes(RECORD), null));
    debugger.seen(new OperatorTools.Suppressed(ASKER, MAPPER.readTree(raw), "purchase", raw));
    debugger.seen(new OperatorTools.Rejected(ASKER, MAPPER.readTree(raw), raw,
        new JsonArray().add(new JsonObject().put("pointer", "/occurred_at").put("message", "is too old")), true));
    debugger.seen(new OperatorTools.Refused(ASKER, null, null, null, bytes("not json!"),
        new JsonObject().put("detail", "over the key's rate")
            .put("errors", new JsonArray().add(new JsonObject().put("pointer", "").put("message", "slow down"))),
        429));

    assertShown(entry(2), SHOWN_REJECTED, before);
    assertShown(entry(3), SHOWN_REFUSED, before);
  }

  private Entry entry(long seq) {
    return ((EventRing.Found) debugger.ring().at(seq)).entry();
  }

  /** The entry as a stream sends it, its time checked against the clock and its latency left out. */
  private void assertShown(Entry entry, String expected, long notBefore) {
    JsonObject shown = new JsonObject(debugger.view().json(entry));
    Instant time = Instant.parse((String) shown.remove("time"));
    assertThat(time.toEpochMilli()).isBetween(notBefore, System.currentTimeMillis());
    assertThat(shown.remove("latency_ms")).isInstanceOf(Double.class);
    assertThat(shown).isEqualTo(new JsonObject(expected));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A parsed event that counts every look into it. */
  private static final class CountingTree extends ObjectNode {
    final AtomicInteger reads = new AtomicInteger();

    private CountingTree(Map<String, JsonNode> fields) {
      super(JsonNodeFactory.instance, fields);
    }

    static CountingTree of(byte[] raw) throws Exception {
      ObjectNode parsed = (ObjectNode) MAPPER.readTree(raw);
      Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
      parsed.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
      return new CountingTree(fields);
    }

    @Override
    public JsonNode get(String name) {
      reads.incrementAndGet();
      return super.get(name);
    }

    @Override
    public JsonNode path(String name) {
      reads.incrementAndGet();
      return super.path(name);
    }

    @Override
    public boolean has(String name) {
      reads.incrementAndGet();
      return super.has(name);
    }

    @Override
    public boolean hasNonNull(String name) {
      reads.incrementAndGet();
      return super.hasNonNull(name);
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> fields() {
      reads.incrementAndGet();
      return super.fields();
    }

    @Override
    public Iterator<String> fieldNames() {
      reads.incrementAndGet();
      return super.fieldNames();
    }

    @Override
    public int size() {
      reads.incrementAndGet();
      return super.size();
    }
  }
}
