package io.gameevents.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Anyone who reaches the clustered event bus port can hand a node bytes to decode. Every codec of the
 * project reads them within the members' {@link WireLimits}: whatever the bytes, the answer is a decoded
 * message or a {@link WireFormatException}, never an OutOfMemoryError or another exception or error.
 */
class WireCodecPropertiesTest {

  /** The defaults: http.max_batch_events 500, http.max_event_bytes 32 KiB. */
  private static final WireLimits LIMITS = WireLimits.of(500, 32 * 1024);
  private static final List<MessageCodec<?, ?>> CODECS = List.of(new EventBatch.Codec(LIMITS),
      new Outcomes.Codec(LIMITS));

  @Property(tries = 2000)
  void randomBytesAreDecodedOrCleanlyRefused(@ForAll("buffers") byte[] bytes,
                                              @ForAll @IntRange(min = -2, max = 40) int pos) {
    for (MessageCodec<?, ?> codec : CODECS) {
      assertDecodedOrRefused(codec, Buffer.buffer(bytes), pos);
    }
  }

  @Property(tries = 1000)
  void aTruncatedBatchIsRefused(@ForAll("batches") EventBatch batch, @ForAll @IntRange(min = 0, max = 1 << 20) int cut) {
    Buffer wire = Buffer.buffer();
    new EventBatch.Codec(LIMITS).encodeToWire(wire, batch);
    Buffer truncated = wire.getBuffer(0, cut % wire.length());
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, truncated))
        .isInstanceOf(WireFormatException.class);
  }

  @Property(tries = 1000)
  void aBatchWithAHugeCountOrLengthIsRefused(@ForAll("batches") EventBatch batch,
                                             @ForAll @IntRange(min = 0, max = 1 << 20) int field,
                                             @ForAll("huge") int value) {
    Buffer wire = Buffer.buffer();
    new EventBatch.Codec(LIMITS).encodeToWire(wire, batch);
    int[] fields = lengthFields(wire);
    wire.setInt(fields[field % fields.length], value);
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, wire))
        .isInstanceOf(WireFormatException.class);
  }

  @Property(tries = 500)
  void truncatedOrInflatedOutcomesAreRefused(@ForAll @IntRange(min = 1, max = 500) int size,
                                            @ForAll("huge") int count) {
    Buffer wire = Buffer.buffer();
    new Outcomes.Codec(LIMITS).encodeToWire(wire, Outcomes.all(size, Outcome.ACCEPTED));
    assertThatThrownBy(() -> new Outcomes.Codec(LIMITS).decodeFromWire(0, wire.getBuffer(0, wire.length() - 1)))
        .isInstanceOf(WireFormatException.class);
    wire.setInt(0, count);
    assertThatThrownBy(() -> new Outcomes.Codec(LIMITS).decodeFromWire(0, wire))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void aCountOfTwoToTheThirtyOneMinusOneIsRefusedBeforeAnyAllocation() {
    Buffer forged = Buffer.buffer().appendInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("events: count 2147483647 outside [0, 500]");
    assertThatThrownBy(() -> new Outcomes.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("outcomes: count 2147483647 outside [0, 500]");
  }

  @Test
  void aCountWithinTheLimitButBeyondTheBytesPresentIsRefused() {
    Buffer forged = Buffer.buffer().appendInt(500).appendInt(3).appendString("app");
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("events: needs 6000 bytes, 7 left in the message");
  }

  @Test
  void aLengthPastTheBufferIsRefused() {
    Buffer forged = Buffer.buffer().appendInt(1).appendInt(3).appendString("app").appendInt(1).appendString("e")
        .appendInt(100_000).appendString("{}").appendBytes(new byte[10]);
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("record: needs 100000 bytes, 12 left in the message");
  }

  @Test
  void aRecordPastTheAgreedSizeIsRefusedEvenWhenItsBytesArePresent() {
    int tooLarge = LIMITS.maxRecordBytes() + 1;
    Buffer forged = Buffer.buffer().appendInt(1).appendInt(3).appendString("app").appendInt(1).appendString("e")
        .appendInt(tooLarge).appendBytes(new byte[tooLarge]);
    assertThatThrownBy(() -> new EventBatch.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("record: length " + tooLarge + " outside [0, " + LIMITS.maxRecordBytes() + "]");
  }

  @Test
  void anUnknownOutcomeIsRefused() {
    Buffer forged = Buffer.buffer().appendInt(2).appendByte((byte) 0).appendByte((byte) 77);
    assertThatThrownBy(() -> new Outcomes.Codec(LIMITS).decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("outcome 77 is none of the");
  }

  @Test
  void maxSizeBatchesSurviveTheWire() {
    // every event at its largest record, ids at their longest: small limits keep the test's heap small
    WireLimits limits = WireLimits.of(50, 4096);
    assertRoundTrip(limits, maxSizeBatch(limits.maxEvents(), limits.maxRecordBytes()));
    // the defaults: a full batch of events, and one event at the largest record
    assertRoundTrip(LIMITS, maxSizeBatch(LIMITS.maxEvents(), 1200));
    assertRoundTrip(LIMITS, maxSizeBatch(1, LIMITS.maxRecordBytes()));
    Outcomes outcomes = Outcomes.all(LIMITS.maxEvents(), Outcome.DUPLICATE);
    Buffer wire = Buffer.buffer();
    new Outcomes.Codec(LIMITS).encodeToWire(wire, outcomes);
    assertThat(new Outcomes.Codec(LIMITS).decodeFromWire(0, wire).toString()).isEqualTo(outcomes.toString());
  }

  private static void assertRoundTrip(WireLimits limits, EventBatch batch) {
    Buffer wire = Buffer.buffer().appendString("head");
    new EventBatch.Codec(limits).encodeToWire(wire, batch);
    EventBatch decoded = new EventBatch.Codec(limits).decodeFromWire(4, wire);
    assertThat(decoded.size()).isEqualTo(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      PipelineEvent sent = batch.events().get(i);
      PipelineEvent received = decoded.events().get(i);
      assertThat(received.appId()).isEqualTo(sent.appId());
      assertThat(received.eventId()).isEqualTo(sent.eventId());
      assertThat(received.record()).isEqualTo(sent.record());
    }
  }

  private static EventBatch maxSizeBatch(int events, int recordBytes) {
    List<PipelineEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      byte[] record = new byte[recordBytes];
      Arrays.fill(record, (byte) ('a' + i % 26));
      list.add(new PipelineEvent("a".repeat(128), String.format("%064d", i), record));
    }
    return new EventBatch(list);
  }

  private static void assertDecodedOrRefused(MessageCodec<?, ?> codec, Buffer buffer, int pos) {
    try {
      codec.decodeFromWire(pos, buffer);
    } catch (WireFormatException refused) {
      // the clean refusal
    } catch (Throwable other) {
      throw new AssertionError(codec.name() + " threw " + other + " instead of refusing cleanly", other);
    }
  }

  /** Offsets of the count and of every length prefix of an encoded batch. */
  private static int[] lengthFields(Buffer wire) {
    List<Integer> offsets = new ArrayList<>(List.of(0));
    int count = wire.getInt(0);
    int pos = 4;
    for (int i = 0; i < count * 3; i++) {
      offsets.add(pos);
      pos += 4 + wire.getInt(pos);
    }
    return offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Random bytes, with big-endian ints near the limits mixed in so counts and lengths get past the first check. */
  @Provide
  Arbitrary<byte[]> buffers() {
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    Arbitrary<byte[]> ints = Arbitraries.oneOf(Arbitraries.integers().between(-2, 600), huge())
        .map(value -> Buffer.buffer().appendInt(value).getBytes());
    return Arbitraries.oneOf(noise, ints).list().ofMaxSize(12).map(parts -> {
      Buffer joined = Buffer.buffer();
      parts.forEach(joined::appendBytes);
      return joined.getBytes();
    });
  }

  /** Counts and lengths that no member may send: past the limits, or negative. */
  @Provide
  Arbitrary<Integer> huge() {
    return Arbitraries.oneOf(Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30),
        Arbitraries.integers().between(LIMITS.maxRecordBytes() + 1, Integer.MAX_VALUE),
        Arbitraries.integers().lessOrEqual(-1));
  }

  @Provide
  Arbitrary<EventBatch> batches() {
    Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').withChars('é', '.', '-').ofMinLength(1)
        .ofMaxLength(64);
    Arbitrary<byte[]> records = Arbitraries.strings().ofMaxLength(300)
        .map(text -> text.getBytes(StandardCharsets.UTF_8));
    Arbitrary<PipelineEvent> events = net.jqwik.api.Combinators.combine(ids, ids, records).as(PipelineEvent::new);
    return events.list().ofMinSize(1).ofMaxSize(20).map(EventBatch::new);
  }
}
