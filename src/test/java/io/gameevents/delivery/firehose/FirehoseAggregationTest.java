package io.gameevents.delivery.firehose;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gameevents.config.ConfigException;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.firehose.FirehoseDouble.Call;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** delivery.firehose.aggregate: several newline-separated events per Firehose record. */
@ExtendWith(VertxExtension.class)
class FirehoseAggregationTest {

  private SinkHarness harness;
  private FirehoseDouble firehose;
  private final ListAppender<ILoggingEvent> sinkLog = new ListAppender<>();

  @BeforeAll
  static void quietLibraries() {
    for (String name : List.of("software.amazon.awssdk", "io.netty", "io.vertx")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    harness = SinkHarness.start(vertx);
    firehose = harness.firehose;
    sinkLog.start();
    ((Logger) LoggerFactory.getLogger(FirehoseSink.class)).addAppender(sinkLog);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
    ((Logger) LoggerFactory.getLogger(FirehoseSink.class)).detachAppender(sinkLog);
  }

  @Test
  void limitsCountEventsAndFollowTheConfig() throws Exception {
    FirehoseSinkConfig plain = harness.config(FirehoseDouble.STREAM);
    FirehoseSinkConfig aggregated = plain.withAggregate(true);

    Sink sink = harness.start(aggregated);

    assertThat(FirehoseSinkType.TYPE.limits(plain)).isEqualTo(new SinkLimits(500, 4_000_000L, 1_023_999));
    assertThat(FirehoseSinkType.TYPE.limits(aggregated)).isEqualTo(new SinkLimits(4_000_000, 4_000_000L, 1_023_999));
    assertThat(sink.limits()).isEqualTo(FirehoseSinkType.TYPE.limits(aggregated));
  }

  @Test
  void recordsSplitBackIntoExactlyTheEventsPutInOrder() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    Random random = new Random(7);
    List<String> events = IntStream.range(0, 6_000)
        .mapToObj(i -> sized("evt-" + i, 80 + random.nextInt(3_000))).toList();

    List<WriteResult> results = new ArrayList<>();
    for (List<String> write : writesWithinLimits(events, sink.limits())) {
      results.add(harness.write(sink, write)); // one after the other: the call log is in event order
    }

    assertThat(results).allSatisfy(result -> assertThat(result.complete()).isTrue());
    assertThat(harness.storedEvents(FirehoseDouble.STREAM)).containsExactlyElementsOf(events);
    List<Call> calls = firehose.putRecordBatchCalls();
    assertThat(calls).allSatisfy(call -> assertThat(call.error()).isNull());
    assertThat(firehose.records()).hasSizeLessThan(events.size() / 100);
    assertThat(firehose.records()).allSatisfy(record ->
        assertThat(record.length()).isLessThanOrEqualTo(FirehoseDouble.MAX_RECORD_BYTES));
  }

  @Test
  void recordsFillUpToTheRecordLimitWithoutSplittingAnEvent() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    int half = RecordBatch.MAX_RECORD_DATA / 2 - 1; // two of them and their newlines fill a record exactly
    List<String> events = List.of(sized("a", half), sized("b", half), sized("c", half), sized("d", 40),
        sized("e", FirehoseSink.MAX_RECORD_BYTES));

    WriteResult result = harness.write(sink, events);

    assertThat(result.complete()).isTrue();
    assertThat(firehose.records()).extracting(SinkHarness::lines).containsExactly(
        List.of(events.get(0), events.get(1)), List.of(events.get(2), events.get(3)), List.of(events.get(4)));
    assertThat(firehose.records().get(0)).hasSize(FirehoseDouble.MAX_RECORD_BYTES);
    assertThat(firehose.records().get(2)).hasSize(FirehoseDouble.MAX_RECORD_BYTES);
  }

  @Test
  void aFullWriteStaysWithinTheFirehoseQuotasOfOneCall() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    int size = 199; // + '\n' = 200 bytes: 20,000 events are exactly the write's byte limit
    List<String> events = IntStream.range(0, (int) (sink.limits().maxBatchBytes() / (size + 1)))
        .mapToObj(i -> sized("full-" + i, size)).toList();

    WriteResult result = harness.write(sink, events);

    assertThat(result.deliveredCount()).isEqualTo(20_000);
    assertThat(firehose.putRecordBatchCalls()).hasSize(1);
    assertThat(firehose.maxBytesPerCall()).isEqualTo(4_000_000L).isLessThanOrEqualTo(FirehoseDouble.MAX_CALL_BYTES);
    assertThat(firehose.maxRecordsPerCall()).isBetween(4, 7);
    assertThat(harness.storedEvents(FirehoseDouble.STREAM)).containsExactlyElementsOf(events);
  }

  @Test
  void aFailedRecordFailsAllItsEventsAndOnlyThoseAreRetried() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    firehose.recordFailureShare(0.5);
    List<String> events = IntStream.range(0, 3_000).mapToObj(i -> sized("retry-" + i, 1_299)).toList();

    WriteResult attempt = harness.attempt(sink, events);

    Call first = firehose.putRecordBatchCalls().get(0);
    assertThat(first.stored()).contains(true, false);
    int event = 0;
    for (int r = 0; r < first.records().size(); r++) {
      for (String line : SinkHarness.lines(first.records().get(r))) {
        assertThat(line).isEqualTo(events.get(event));
        assertThat(attempt.delivered(event++)).as("event of record %d", r).isEqualTo(first.stored().get(r));
      }
    }
    assertThat(event).isEqualTo(events.size());
    assertThat(attempt.failure()).isEqualTo(WriteResult.Failure.RETRY);

    firehose.recordFailureShare(0);
    List<String> notDelivered = IntStream.range(0, events.size()).filter(i -> !attempt.delivered(i))
        .mapToObj(events::get).toList();
    WriteResult retried = harness.write(sink, notDelivered);

    assertThat(retried.complete()).isTrue();
    Call second = firehose.putRecordBatchCalls().get(1);
    assertThat(second.records().stream().flatMap(record -> SinkHarness.lines(record).stream()).toList())
        .as("the failed records' events, every one of them, nothing already stored").isEqualTo(notDelivered);
    assertThat(harness.storedEvents(FirehoseDouble.STREAM)).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void retriesThroughTheWriterStoreEveryEventOnce() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    firehose.recordFailureShare(0.4).throttleShare(0.1);
    List<String> events = IntStream.range(0, 1_500).mapToObj(i -> sized("flaky-" + i, 2_499)).toList();

    WriteResult result = harness.write(sink, events);

    assertThat(result.complete()).isTrue();
    assertThat(firehose.putRecordBatchCalls()).hasSizeGreaterThan(2);
    assertThat(harness.storedEvents(FirehoseDouble.STREAM)).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void aSnowflakeDestinationFailsStartUp() {
    firehose.destination("Snowflake");

    assertThatThrownBy(() -> harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("delivery.firehose.aggregate is true, but stream game-events-test delivers to Snowflake, which"
            + " reads one JSON object per Firehose record: set delivery.firehose.aggregate to false");
    assertThat(firehose.putRecordBatchCalls()).isEmpty();
  }

  @Test
  void withoutAggregationASnowflakeDestinationIsFine() throws Exception {
    firehose.destination("Snowflake");
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM));

    WriteResult result = harness.write(sink, List.of(sized("one", 100)));

    assertThat(result.complete()).isTrue();
    assertThat(sink.health().ready()).isTrue();
  }

  @Test
  void aDestinationTurnedOpenSearchWhileRunningRefusesWritesUntilItIsS3Again() throws Exception {
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    firehose.destination("AmazonOpenSearchService");
    await().atMost(Duration.ofSeconds(30)).until(() -> !sink.health().ready());

    WriteResult refused = harness.attempt(sink, List.of(sized("refused", 100)));

    assertThat(sink.health().detail()).contains("OpenSearch", "delivery.firehose.aggregate");
    assertThat(refused.failure()).isEqualTo(WriteResult.Failure.REFUSED);
    assertThat(firehose.putRecordBatchCalls()).isEmpty();
    assertThat(errorLines()).hasSize(1);

    firehose.destination("ExtendedS3");
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.health().ready());
    assertThat(harness.write(sink, List.of(sized("resumed", 100))).complete()).isTrue();
  }

  @Test
  void aDestinationNotKnownToSplitRecordsIsWarnedAboutOnce() throws Exception {
    firehose.destination("HttpEndpoint");
    Sink sink = harness.start(harness.config(FirehoseDouble.STREAM).withAggregate(true));
    await().atMost(Duration.ofSeconds(30)).until(() -> firehose.calls().stream()
        .filter(call -> "DescribeDeliveryStream".equals(call.operation())).count() >= 3);

    WriteResult result = harness.write(sink, List.of(sized("http", 100)));

    assertThat(result.complete()).isTrue();
    assertThat(sinkLog.list).filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsOnlyOnce("Firehose stream 'game-events-test' delivers to an HTTP endpoint: with"
            + " delivery.firehose.aggregate each record holds several newline-separated events; make sure the"
            + " destination splits them");
  }

  private List<String> errorLines() {
    return sinkLog.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** Consecutive slices as the batcher cuts them: within the write's event and byte limits. */
  private static List<List<String>> writesWithinLimits(List<String> events, SinkLimits limits) {
    List<List<String>> writes = new ArrayList<>();
    List<String> current = new ArrayList<>();
    long bytes = 0;
    for (String event : events) {
      int size = event.length() + 1;
      if (!current.isEmpty() && (bytes + size > limits.maxBatchBytes() || current.size() == limits.maxRecords())) {
        writes.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(event);
      bytes += size;
    }
    writes.add(current);
    return writes;
  }

  /** A JSON event of exactly {@code size} ASCII bytes. */
  static String sized(String id, int size) {
    String head = "{\"event_id\":\"" + id + "\",\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(size - head.length() - tail.length()) + tail;
  }
}
