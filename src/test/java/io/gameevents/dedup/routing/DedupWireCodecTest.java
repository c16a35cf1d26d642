package io.gameevents.dedup.routing;

import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.pipeline.Outcome;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.WireFormatException;
import io.gameevents.pipeline.WireLimits;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dedup stage's own message types on the wire: each reply variant reads back as itself, and whatever bytes a
 * forger sends are read within the members' {@link WireLimits} or refused with a {@link WireFormatException}.
 */
class DedupWireCodecTest {

  private static final WireLimits LIMITS = WireLimits.of(500, 32 * 1024);
  private static final Map<Class<?>, DedupReply.Codec<?>> CODECS = new HashMap<>();

  static {
    DedupReply.Codec.forEach(LIMITS, new DedupReply.Codec.Registrar() {
      @Override
      public <T extends DedupReply> void register(Class<T> variant, DedupReply.Codec<T> codec) {
        CODECS.put(variant, codec);
      }
    });
  }

  /** Any variant's codec reads every variant: the one the wire names is the one the sender's body had. */
  private static final DedupReply.Codec<?> REPLIES = CODECS.get(DedupReply.Moving.class);

  @Test
  void eachVariantHasACodecOfItsOwnName() {
    assertThat(CODECS).containsOnlyKeys(DedupReply.Served.class, DedupReply.NotServedHere.class,
        DedupReply.Moving.class);
    assertThat(CODECS.values()).extracting(DedupReply.Codec::name).doesNotHaveDuplicates();
  }

  @Test
  void everyReplyVariantReadsBackAsItself() {
    Outcomes outcomes = Outcomes.all(3, Outcome.ACCEPTED).set(1, Outcome.DUPLICATE).set(2, Outcome.SINK_DOWN);

    DedupReply served = roundTrip(new DedupReply.Served(outcomes));

    assertThat(served).isInstanceOfSatisfying(DedupReply.Served.class,
        s -> assertThat(s.outcomes().toString()).isEqualTo("Outcomes[ACCEPTED,DUPLICATE,SINK_DOWN]"));
    assertThat(roundTrip(DedupReply.NOT_SERVED_HERE)).isEqualTo(DedupReply.NOT_SERVED_HERE);
    assertThat(roundTrip(DedupReply.MOVING)).isEqualTo(DedupReply.MOVING);
  }

  @Test
  void theProbeReadsBackAsTheProbe() {
    DedupProbe.Codec codec = new DedupProbe.Codec();
    Buffer wire = Buffer.buffer().appendString("header");
    codec.encodeToWire(wire, DedupProbe.INSTANCE);

    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(DedupProbe.INSTANCE);
  }

  /** Keys are trusted only on the node that hashed them: a keyed batch is never written, and never read from bytes. */
  @Test
  void aKeyedBatchNeitherGoesOnTheWireNorComesFromIt() {
    KeyedBatch.Codec codec = new KeyedBatch.Codec();
    KeyedBatch batch = new KeyedBatch(List.of(), new DedupKey[0]);

    assertThat(codec.transform(batch)).isSameAs(batch);
    assertThatThrownBy(() -> codec.encodeToWire(Buffer.buffer(), batch)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> codec.decodeFromWire(0, Buffer.buffer().appendInt(0)))
        .isInstanceOf(WireFormatException.class).hasMessage("a keyed batch never crosses the network");
  }

  @Test
  void anUnknownTagOrNoTagIsRefused() {
    assertThatThrownBy(() -> REPLIES.decodeFromWire(0, Buffer.buffer().appendByte((byte) 7)))
        .isInstanceOf(WireFormatException.class).hasMessage("dedup reply: tag 7 is none of the 3 known");
    assertThatThrownBy(() -> REPLIES.decodeFromWire(0, Buffer.buffer()))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void aServedReplyWithAHugeCountIsRefusedBeforeAnyAllocation() {
    Buffer forged = Buffer.buffer().appendByte((byte) 0).appendInt(Integer.MAX_VALUE);

    assertThatThrownBy(() -> REPLIES.decodeFromWire(0, forged))
        .isInstanceOf(WireFormatException.class).hasMessage("outcomes: count 2147483647 outside [0, 500]");
  }

  @Property(tries = 500)
  void aTruncatedServedReplyIsRefused(@ForAll @IntRange(min = 1, max = 500) int size,
                                     @ForAll @IntRange(min = 1, max = 10_000) int cut) {
    Buffer wire = encode(new DedupReply.Served(Outcomes.all(size, Outcome.ACCEPTED)));
    Buffer truncated = wire.getBuffer(0, wire.length() - 1 - cut % (wire.length() - 1));

    assertThatThrownBy(() -> REPLIES.decodeFromWire(0, truncated)).isInstanceOf(WireFormatException.class);
  }

  @Property(tries = 2000)
  void randomBytesAreDecodedOrCleanlyRefused(@ForAll("buffers") byte[] bytes,
                                              @ForAll @IntRange(min = -2, max = 40) int pos) {
    try {
      assertThat(REPLIES.decodeFromWire(pos, Buffer.buffer(bytes))).isNotNull();
    } catch (WireFormatException refused) {
      // a clean refusal is the other allowed answer
    }
  }

  @Provide
  Arbitrary<byte[]> buffers() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
  }

  private static DedupReply roundTrip(DedupReply reply) {
    Buffer wire = Buffer.buffer().appendString("header").appendBuffer(encode(reply));
    return REPLIES.decodeFromWire(6, wire);
  }

  @SuppressWarnings("unchecked")
  private static <T extends DedupReply> Buffer encode(T reply) {
    Buffer wire = Buffer.buffer();
    ((DedupReply.Codec<T>) CODECS.get(reply.getClass())).encodeToWire(wire, reply);
    return wire;
  }
}
