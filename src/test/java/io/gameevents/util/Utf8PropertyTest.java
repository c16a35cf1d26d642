package io.gameevents.util;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time check finds the same first bad byte as a byte-at-a-time reference, wherever the bad byte
 * falls against the 8-byte words, and agrees with the JDK's strict decoder on what is UTF-8.
 */
class Utf8PropertyTest {

  @Property(tries = 3000)
  void theFirstInvalidByteIsTheReferencesOne(@ForAll("mostlyAscii") byte[] bytes) {
    assertThat(Utf8.firstInvalid(bytes)).isEqualTo(reference(bytes));
  }

  @Property(tries = 3000)
  void textWithoutNulIsValidExactlyWhenTheJdkDecodesIt(@ForAll("mostlyAscii") byte[] bytes) {
    boolean hasNul = false;
    for (byte b : bytes) {
      hasNul |= b == 0;
    }
    if (!hasNul) {
      assertThat(Utf8.firstInvalid(bytes) < 0).isEqualTo(jdkDecodes(bytes));
    }
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

  private static boolean jdkDecodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** RFC 3629 one byte at a time, NUL refused: what {@link Utf8#firstInvalid} must keep answering. */
  private static int reference(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xFF;
      if (lead == 0) {
        return i;
      }
      if (lead < 0x80) {
        i++;
        continue;
      }
      int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
          : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
      if (length == 0 || i + length > bytes.length) {
        return i;
      }
      int code = lead & (0xFF >> (length + 1));
      for (int k = 1; k < length; k++) {
        int next = bytes[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return i;
        }
        code = (code << 6) | (next & 0x3F);
      }
      int min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
      if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return i;
      }
      i += length;
    }
    return -1;
  }
}
