package io.gameevents.delivery.firehose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gameevents.pipeline.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte scan against records written by the service's own serializer. */
class FirehoseAppIdTest {

  @Test
  void findsTheAppIdOfAServiceRecord() {
    PipelineEvent event = ServiceRecords.install("com.studio.game", "evt-1");

    assertThat(AppIdHash.appId(event.record())).isEqualTo("com.studio.game").isEqualTo(event.appId());
  }

  @Test
  void anAppIdLookalikeInAnEarlierStringOrInANestedObjectIsNotTaken() {
    ObjectNode properties = new ObjectMapper().createObjectNode().put("level", 3).put("app_id", "nested");
    properties.putObject("deeper").put("x", 1).put("app_id", "deeper");
    PipelineEvent event = ServiceRecords.install("com.real.app", "evt-2",
        "p\",\"app_id\":\"evil\",\"x\":\"", properties);
    String record = ServiceRecords.text(event);

    assertThat(record).contains("\\\"app_id\\\":\\\"evil", ",\"app_id\":\"nested\"", ",\"app_id\":\"deeper\"");
    assertThat(record.indexOf("evil")).as("the lookalike comes first").isLessThan(record.indexOf("com.real.app"));
    assertThat(AppIdHash.appId(event.record())).isEqualTo("com.real.app");
  }

  @Test
  void anAppAlwaysGetsTheSameStream() {
    Set<Integer> streams = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      streams.add(AppIdHash.stream(ServiceRecords.install("com.one.app", "evt-" + i, "player_" + i, null).record(), 4));
    }

    assertThat(streams).hasSize(1);
  }

  @Test
  void appsSpreadOverAllStreams() {
    Map<Integer, Long> appsPerStream = IntStream.range(0, 400).mapToObj(i -> "com.studio.game" + i)
        .map(app -> AppIdHash.stream(ServiceRecords.install(app, "evt").record(), 4))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(appsPerStream).containsOnlyKeys(0, 1, 2, 3);
    assertThat(appsPerStream.values()).allSatisfy(count -> assertThat(count).isBetween(70L, 130L));
  }

  @Test
  void recordsWithoutAnAppIdGoToTheFirstStream() {
    assertThat(AppIdHash.stream(bytes("{\"event_id\":\"e\",\"app_id\":null,\"properties\":{\"a\":1,\"app_id\":\"x\"}}"),
        3)).isZero();
    assertThat(AppIdHash.appId(bytes("{\"event_id\":\"e\",\"app_id\":null,\"properties\":{\"a\":1,\"app_id\":\"x\"}}")))
        .isNull();
    assertThat(AppIdHash.appId(bytes("{\"event_id\":\"e\"}"))).isNull();
    assertThat(AppIdHash.appId(bytes("{\"event_id\":\"e\",\"app_id\":\"cut"))).isEqualTo("cut");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
