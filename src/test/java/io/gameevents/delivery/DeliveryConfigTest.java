package io.gameevents.delivery;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigLoader;
import io.gameevents.delivery.file.FileSinkType;
import io.gameevents.delivery.sinks.SinkTypes;
import io.gameevents.delivery.firehose.FirehoseSinkType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delivery section, read by the delivery stage itself ({@link DeliveryConfig#of}) and checked against the rest
 * of the config: as strict as every other section, each error naming its key.
 */
class DeliveryConfigTest {

  private static JsonObject minimal() {
    return new JsonObject().put("auth", new JsonObject().put("api_keys", new JsonArray()
        .add(new JsonObject().put("id", "dev").put("key", "dev-secret").put("app_ids", new JsonArray().add("com.game.test")))));
  }

  private static DeliveryConfig load(JsonObject json) {
    return DeliveryConfig.of(AppConfig.from(json), SinkTypes.ALL);
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    DeliveryConfig config = load(minimal());
    assertThat(config.sinkName()).isEqualTo("file");
    assertThat(config.settings(FileSinkType.TYPE).directory()).isEqualTo("data/events");
  }

  @Test
  void unknownKeyIsNamed() {
    JsonObject config = minimal().put("delivery", new JsonObject().put("lingr_ms", 5));
    assertThatThrownBy(() -> load(config)).hasMessage("unknown config key 'delivery.lingr_ms'");
  }

  @Test
  void invalidValuesAreNamed() {
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("sink", "kafka"))))
        .hasMessageStartingWith("config key 'delivery.sink' must be one of");
  }

  @Test
  void firehoseNeedsAStreamName() {
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("sink", "firehose"))))
        .hasMessage("config key 'delivery.firehose.stream_name' is required when delivery.sink is firehose");
  }

  @Test
  void limitsThatContradictEachOtherAreRefused() {
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("max_in_flight_events", 100))))
        .hasMessageStartingWith("config key 'delivery.max_in_flight_events' must be at least http.max_batch_events (500)");
    JsonObject slowFirehose = minimal().put("delivery", new JsonObject().put("sink", "firehose").put("ack", "sink")
        .put("firehose", new JsonObject().put("stream_name", "s").put("delivery_deadline_ms", 29_000)));
    assertThatThrownBy(() -> load(slowFirehose))
        .hasMessageStartingWith("config key 'delivery.firehose.delivery_deadline_ms' must be at least 2000 below");
    JsonObject callLongerThanDeadline = minimal().put("delivery", new JsonObject().put("sink", "firehose")
        .put("firehose", new JsonObject().put("stream_name", "s").put("delivery_deadline_ms", 5_000)
            .put("call_timeout_ms", 6_000)));
    assertThatThrownBy(() -> load(callLongerThanDeadline))
        .hasMessage("config key 'delivery.firehose.call_timeout_ms' must not exceed delivery_deadline_ms (5000)");
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("linger_ms", 30_000))))
        .hasMessage("config key 'http.request_timeout_ms' must exceed delivery.linger_ms by at least 1000");
  }

  @Test
  void aRemoteSinkAcknowledgesFromTheSpoolUnlessToldOtherwise() {
    JsonObject firehose = new JsonObject().put("stream_name", "s");
    DeliveryConfig spooled = load(minimal().put("delivery", new JsonObject().put("sink", "firehose")
        .put("firehose", firehose.copy())));
    DeliveryConfig direct = load(minimal().put("delivery", new JsonObject().put("sink", "firehose")
        .put("ack", "sink").put("firehose", firehose.copy())));
    DeliveryConfig files = load(minimal());

    assertThat(spooled.ack()).isEqualTo(DeliveryConfig.Ack.SPOOL);
    assertThat(direct.ack()).isEqualTo(DeliveryConfig.Ack.SINK);
    assertThat(files.ack()).isEqualTo(DeliveryConfig.Ack.SINK);
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("ack", "spool"))))
        .hasMessage("config key 'delivery.ack' is spool, but the file sink is local storage already: use ack sink");
    assertThatThrownBy(() -> load(minimal().put("delivery", new JsonObject().put("sink", "firehose")
        .put("firehose", firehose.copy())).put("cluster", new JsonObject().put("roles", new JsonArray()
        .add("http").add("dedup").add("delivery")))))
        .hasMessageStartingWith("config key 'cluster.roles' has delivery but not forward while delivery.ack is spool");
  }

  @Test
  void environmentOverridesTheFile() {
    DeliveryConfig config = DeliveryConfig.of(ConfigLoader.loadNow(minimal(), Map.of(
        "GAME_EVENTS_SINK", "firehose",
        "GAME_EVENTS_FIREHOSE_STREAMS", "events-a,events-b",
        "GAME_EVENTS_FIREHOSE_AGGREGATE", "true")), SinkTypes.ALL);
    assertThat(config.sinkName()).isEqualTo("firehose");
    assertThat(config.settings(FirehoseSinkType.TYPE).streamNames()).containsExactly("events-a", "events-b");
    assertThat(config.settings(FirehoseSinkType.TYPE).aggregate()).isTrue();
    assertThat(config.ack()).isEqualTo(DeliveryConfig.Ack.SPOOL);
  }

  /** The reference configs in conf/ acknowledge from the sink (see AppConfigTest#theReferenceConfigsParse). */
  @Test
  void theReferenceConfigsAcknowledgeFromTheSink() throws Exception {
    for (String file : List.of("conf/config.json", "conf/cluster.json")) {
      JsonObject json = new JsonObject(Files.readString(Path.of(file)));
      json.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).remove("sha256");
      json.getJsonObject("auth").getJsonArray("api_keys").getJsonObject(0).put("key", "a-real-key-0123");
      json.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).remove("sha256");
      json.getJsonObject("admin").getJsonArray("tokens").getJsonObject(0).put("key", "a-real-token-0123");
      if (json.getJsonObject("cluster") != null) {
        json.getJsonObject("cluster").put("secret", "c".repeat(64));
      }
      assertThat(load(json).ack()).as(file).isEqualTo(DeliveryConfig.Ack.SINK);
    }
  }
}
