package io.gameevents.delivery.firehose;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gameevents.config.ConfigException;
import io.gameevents.config.Section;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.firehose.FirehoseDouble.Call;
import io.gameevents.delivery.firehose.FirehoseSinkConfig.Spread;
import io.gameevents.pipeline.PipelineEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** delivery.firehose.stream_names: one write spread over two streams of the double. */
@ExtendWith(VertxExtension.class)
class FirehoseSpreadingTest {

  private static final String A = "game-events-a";
  private static final String B = "game-events-b";

  private SinkHarness harness;
  private FirehoseDouble firehose;

  @BeforeAll
  static void quietLibraries() {
    for (String name : List.of("software.amazon.awssdk", "io.netty", "io.vertx")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    harness = SinkHarness.start(vertx);
    firehose = harness.firehose.addStream(A).addStream(B);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void hashSpreadingKeepsEachAppOnOneStreamAndUsesBoth() throws Exception {
    Sink sink = harness.start(spread(Spread.APP_ID));
    List<PipelineEvent> events = events(12, 40);

    for (int from = 0; from < events.size(); from += 120) { // apps interleaved within every write
      WriteResult result = harness.write(sink, texts(events.subList(from, from + 120)));
      assertThat(result.complete()).isTrue();
    }

    Map<String, Set<String>> streamsOfApp = new HashMap<>();
    Map<String, String> appOfEvent = new HashMap<>();
    events.forEach(event -> appOfEvent.put(ServiceRecords.text(event), event.appId()));
    for (String stream : List.of(A, B)) {
      for (String stored : harness.storedEvents(stream)) {
        streamsOfApp.computeIfAbsent(appOfEvent.get(stored), app -> new HashSet<>()).add(stream);
      }
    }
    assertThat(streamsOfApp).hasSize(12).allSatisfy((app, streams) -> assertThat(streams).as(app).hasSize(1));
    assertThat(streamsOfApp.values().stream().flatMap(Set::stream).distinct()).containsExactlyInAnyOrder(A, B);
    List<String> stored = new ArrayList<>(harness.storedEvents(A));
    stored.addAll(harness.storedEvents(B));
    assertThat(stored).containsExactlyInAnyOrderElementsOf(texts(events));
    assertThat(firehose.putRecordBatchCalls()).extracting(Call::streamName).containsOnly(A, B);
  }

  @Test
  void eachStreamKeepsTheWritesOrderOfItsEventsWithAggregation() throws Exception {
    Sink sink = harness.start(spread(Spread.APP_ID).withAggregate(true));
    List<PipelineEvent> events = events(6, 300);

    WriteResult result = harness.write(sink, texts(events));

    assertThat(result.complete()).isTrue();
    assertThat(firehose.putRecordBatchCalls()).hasSize(2);
    for (String stream : List.of(A, B)) {
      int index = List.of(A, B).indexOf(stream);
      List<String> expected = events.stream().filter(event -> AppIdHash.stream(event.record(), 2) == index)
          .map(ServiceRecords::text).toList();
      assertThat(harness.storedEvents(stream)).as(stream).isNotEmpty().containsExactlyElementsOf(expected);
    }
  }

  @Test
  void roundRobinSendsEachWriteWholeToTheNextStream() throws Exception {
    Sink sink = harness.start(spread(Spread.ROUND_ROBIN));
    List<PipelineEvent> events = events(3, 20);

    for (int write = 0; write < 6; write++) {
      assertThat(harness.write(sink, texts(events.subList(write * 10, write * 10 + 10))).complete()).isTrue();
    }

    List<Call> calls = firehose.putRecordBatchCalls();
    assertThat(calls).extracting(Call::streamName).containsExactly(A, B, A, B, A, B);
    for (int write = 0; write < 6; write++) {
      assertThat(calls.get(write).records()).containsExactlyElementsOf(
          texts(events.subList(write * 10, write * 10 + 10)).stream().map(e -> e + "\n").toList());
    }
  }

  @Test
  void aStreamNotFoundRefusesOnlyItsOwnEvents() throws Exception {
    Sink sink = harness.start(spread(Spread.APP_ID));
    firehose.removeStream(B);
    List<PipelineEvent> events = events(8, 10);

    WriteResult result = harness.attempt(sink, texts(events));

    assertThat(result.failure()).isEqualTo(WriteResult.Failure.REFUSED);
    assertThat(result.detail()).contains(B, "not found");
    List<String> expectedOnA = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      boolean onA = AppIdHash.stream(events.get(i).record(), 2) == 0;
      assertThat(result.delivered(i)).as("event %d", i).isEqualTo(onA);
      if (onA) {
        expectedOnA.add(ServiceRecords.text(events.get(i)));
      }
    }
    assertThat(expectedOnA).isNotEmpty().hasSizeLessThan(events.size());
    assertThat(harness.storedEvents(A)).containsExactlyElementsOf(expectedOnA);
    assertThat(harness.storedEvents(B)).isEmpty();
    assertThat(sink.health().ready()).isFalse();
    assertThat(sink.health().detail()).isEqualTo("stream game-events-b not found in region us-east-1");

    firehose.addStream(B);
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.health().ready());
    assertThat(sink.health().detail()).isEqualTo("stream game-events-a ACTIVE; stream game-events-b ACTIVE");
    assertThat(harness.write(sink, texts(events)).complete()).isTrue();
  }

  @Test
  void oneListedStreamIsAPlainSinkAndLimitsFollowTheConfig() throws Exception {
    FirehoseSinkConfig one = harness.config(null).withStreams(List.of(A), Spread.APP_ID);

    Sink single = harness.start(one);
    Sink spreading = harness.start(spread(Spread.APP_ID).withAggregate(true));

    assertThat(single).isInstanceOf(FirehoseSink.class);
    assertThat(harness.write(single, texts(events(1, 3))).complete()).isTrue();
    assertThat(firehose.putRecordBatchCalls()).extracting(Call::streamName).containsExactly(A);
    assertThat(spreading).isInstanceOf(SpreadingSink.class);
    assertThat(spreading.limits()).isEqualTo(FirehoseSink.AGGREGATED_LIMITS)
        .isEqualTo(FirehoseSinkType.TYPE.limits(spread(Spread.APP_ID).withAggregate(true)));
  }

  @Test
  void configListsStreamsAndRefusesAmbiguity() {
    FirehoseSinkConfig listed = parse(new JsonObject().put("stream_names", new JsonArray().add(A).add(B))
        .put("spread", "round_robin").put("aggregate", true));
    FirehoseSinkConfig fromEnvironment = parse(new JsonObject().put("stream_names", A + ", " + B));

    assertThat(listed.streams()).containsExactly(A, B);
    assertThat(listed.streamName()).isNull();
    assertThat(listed.spread()).isEqualTo(Spread.ROUND_ROBIN);
    assertThat(listed.aggregate()).isTrue();
    assertThat(fromEnvironment.streams()).containsExactly(A, B);
    assertThat(fromEnvironment.spread()).isEqualTo(Spread.APP_ID);
    assertThatThrownBy(() -> parse(new JsonObject().put("stream_name", A).put("stream_names", new JsonArray().add(B))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'delivery.firehose.stream_names' and 'delivery.firehose.stream_name' are both set:"
            + " keep one (an environment variable such as GAME_EVENTS_FIREHOSE_STREAM sets stream_name)");
    assertThatThrownBy(() -> parse(new JsonObject().put("stream_names", new JsonArray().add(A).add(A))))
        .hasMessage("config key 'delivery.firehose.stream_names' lists 'game-events-a' twice");
    assertThatThrownBy(() -> parse(new JsonObject().put("stream_names", new JsonArray())))
        .hasMessage("config key 'delivery.firehose.stream_names' must list at least one stream");
    assertThatThrownBy(() -> parse(new JsonObject().put("stream_names", new JsonArray().add(A)).put("spread", "random")))
        .hasMessageStartingWith("config key 'delivery.firehose.spread' must be one of");
  }

  @Test
  void tenArgumentConfigKeepsItsDefaults() {
    FirehoseSinkConfig config = new FirehoseSinkConfig(A, "eu-west-1", null, 4, 16, 10_000, 20_000, 100, 5_000, 60_000);

    assertThat(config.streams()).containsExactly(A);
    assertThat(config.streamNames()).isEmpty();
    assertThat(config.aggregate()).isFalse();
    assertThat(config.spread()).isEqualTo(Spread.APP_ID);
    assertThat(config.maxCallTimeoutMs()).isEqualTo(60_000);
  }

  private FirehoseSinkConfig spread(Spread how) {
    return harness.config(null).withStreams(List.of(A, B), how);
  }

  private static FirehoseSinkConfig parse(JsonObject section) {
    return FirehoseSinkType.TYPE.parse(new Section("delivery.firehose", section), true);
  }

  /** {@code perApp} install events for each of {@code apps} apps, the apps taking turns. */
  private static List<PipelineEvent> events(int apps, int perApp) {
    return IntStream.range(0, apps * perApp)
        .mapToObj(i -> ServiceRecords.install("com.studio.game" + (i % apps), "evt-" + i)).toList();
  }

  private static List<String> texts(List<PipelineEvent> events) {
    return events.stream().map(ServiceRecords::text).toList();
  }
}
