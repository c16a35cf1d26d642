package io.gameevents.util;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time check finds the first bad byte where the JDK's strict decoder finds it (or at the first NUL),
 * wherever that byte falls against the 8-byte words.
 */
class Utf8PropertyTest {

  @Property(tries = 5000)
  void theFirstInvalidByteIsWhereTheJdksStrictDecoderStopsOrTheFirstNul(@ForAll("mostlyAscii") byte[] bytes) {
    assertThat(Utf8.firstInvalid(bytes)).isEqualTo(reference(bytes));
  }

  /** ASCII runs of any length, broken by single odd bytes and by real multi-byte characters. */
  @Provide
  Arbitrary<byte[]> mostlyAscii() {
    Arbitrary<byte[]> ascii = Arbitraries.bytes().between((byte) 1, (byte) 127).array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> odd = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3);
    Arbitrary<byte[]> characters = Arbitraries.of("\u00e9", "\u20ac", "\ud83d\ude00", "\uffff", "\u0000")
        .map(text -> text.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
        Tuple.of(6, ascii), Tuple.of(1, odd), Tuple.of(2, characters));
    return piece.list().ofMaxSize(12).map(Utf8PropertyTest::concat);
  }

  private static byte[] concat(List<byte[]> pieces) {
    ByteBuffer all = ByteBuffer.allocate(pieces.stream().mapToInt(p -> p.length).sum());
    pieces.forEach(all::put);
    return all.array();
  }

  /**
   * The first NUL, or else where the JDK's decoder, refusing malformed input, stops: it leaves the input at the start
   * of the first malformed sequence (a sequence cut short by the NUL included).
   */
  private static int reference(byte[] bytes) {
    int nul = 0;
    while (nul < bytes.length && bytes[nul] != 0) {
      nul++;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, nul);
    CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, CharBuffer.allocate(nul + 1), true);
    if (result.isError()) {
      return in.position();
    }
    return nul < bytes.length ? nul : -1;
  }
}
