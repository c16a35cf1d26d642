package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageCodecTest {

  private static final WireLimits LIMITS = WireLimits.of(500, 32 * 1024);

  @Test
  void localSendsPassTheSameObject() {
    EventBatch batch = new EventBatch(List.of(new PipelineEvent("app", "id", new byte[] {1})));
    assertThat(new EventBatch.Codec(LIMITS).transform(batch)).isSameAs(batch);
  }

  @Test
  void eventBatchSurvivesTheWire() {
    EventBatch batch = new EventBatch(List.of(
        new PipelineEvent("com.game.test", "e-1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
        new PipelineEvent("jeu.été", "e-2", "{\"b\":\"ü\"}".getBytes(StandardCharsets.UTF_8))));
    Buffer wire = Buffer.buffer().appendString("prefix");
    new EventBatch.Codec(LIMITS).encodeToWire(wire, batch);
    EventBatch decoded = new EventBatch.Codec(LIMITS).decodeFromWire(6, wire);
    assertThat(decoded.size()).isEqualTo(2);
    assertThat(decoded.events().get(1).appId()).isEqualTo("jeu.été");
    assertThat(decoded.events().get(1).eventId()).isEqualTo("e-2");
    assertThat(new String(decoded.events().get(1).record(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"ü\"}");
  }

  @Test
  void outcomesSurviveTheWire() {
    Outcomes outcomes = Outcomes.of(3).set(0, Outcome.ACCEPTED).set(1, Outcome.DUPLICATE).set(2, Outcome.OVERLOADED);
    Buffer wire = Buffer.buffer();
    new Outcomes.Codec(LIMITS).encodeToWire(wire, outcomes);
    Outcomes decoded = new Outcomes.Codec(LIMITS).decodeFromWire(0, wire);
    assertThat(decoded.toString()).isEqualTo("Outcomes[ACCEPTED,DUPLICATE,OVERLOADED]");
  }
}
