package io.gameevents.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

  @Test
  void wellFormedTextHasNoInvalidByte() {
    assertThat(Utf8.firstInvalid("{\"p\":\"Jos\u00e9 \u20ac \ud83d\ude00 \uffff\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(Utf8.firstInvalid(new byte[0])).isEqualTo(-1);
  }

  @Test
  void theFirstBadByteIsFound() {
    assertThat(Utf8.firstInvalid(bytes('a', 0xC3, 0x28))).as("a continuation missing").isEqualTo(1);
    assertThat(Utf8.firstInvalid(bytes('a', 'b', 0xC0, 0xAF))).as("overlong /").isEqualTo(2);
    assertThat(Utf8.firstInvalid(bytes(0xE0, 0x80, 0xAF))).as("overlong in 3 bytes").isEqualTo(0);
    assertThat(Utf8.firstInvalid(bytes('x', 0xED, 0xA0, 0x80))).as("an encoded surrogate").isEqualTo(1);
    assertThat(Utf8.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80))).as("past U+10FFFF").isEqualTo(0);
    assertThat(Utf8.firstInvalid(bytes(0xE2, 0x82))).as("cut short").isEqualTo(0);
    assertThat(Utf8.firstInvalid(bytes(0x80))).as("a lone continuation").isEqualTo(0);
    assertThat(Utf8.firstInvalid(bytes(0xFF))).isEqualTo(0);
    assertThat(Utf8.firstInvalid(bytes('{', 0, '}'))).as("NUL, as in UTF-16 text").isEqualTo(1);
    assertThat(Utf8.firstInvalid(bytes(0xF0, 0x9F, 0x98, 0x80, 0xF5))).isEqualTo(4);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
