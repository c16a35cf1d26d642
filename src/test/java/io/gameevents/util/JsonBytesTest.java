package io.gameevents.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What JsonBytes writes itself is what Jackson's generator writes for the same values, to the byte. */
class JsonBytesTest {

  private static final JsonFactory FACTORY = new JsonFactory();

  @Property(tries = 1000)
  void textIsWrittenAsTheGeneratorWritesIt(@ForAll("texts") List<String> texts) throws IOException {
    JsonBytes out = new JsonBytes(FACTORY, 4); // small: every write may have to grow it
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (JsonGenerator generator = FACTORY.createGenerator(expected)) {
      generator.writeStartArray();
      out.write('[');
      for (int i = 0; i < texts.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        generator.writeString(texts.get(i));
        out.text(texts.get(i));
      }
      generator.writeEndArray();
      out.write(']');
    }
    assertThat(latin1(out.toByteArray())).isEqualTo(latin1(expected.toByteArray()));
  }

  @Property(tries = 1000)
  void aWholeNumberIsWrittenAsLongToStringWritesIt(@ForAll long value) {
    JsonBytes out = new JsonBytes(FACTORY, 1);
    out.decimal(value);
    assertThat(latin1(out.toByteArray())).isEqualTo(Long.toString(value));
  }

  @Example
  void everyLengthOfWholeNumberAndItsEdges() {
    JsonBytes out = new JsonBytes(FACTORY, 1);
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      for (long value : new long[] {power - 1, power, -power, power * 10 - 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
        out.reset(1024, 1);
        out.decimal(value);
        assertThat(latin1(out.toByteArray())).isEqualTo(Long.toString(value));
      }
    }
  }

  @Example
  void nullTextIsJsonNull() throws IOException {
    JsonBytes out = new JsonBytes(FACTORY, 8);
    out.text(null);
    assertThat(latin1(out.toByteArray())).isEqualTo("null");
  }

  @Provide
  Arbitrary<List<String>> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(16),
        Arbitraries.strings().ascii().ofMaxLength(16),
        Arbitraries.strings().withChars("aZ09-_\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080\u00e9\u2028\ud83c\udfae")
            .ofMaxLength(12)).list().ofMaxSize(6);
  }

  /** Compared as text so a failure shows where they part; ISO-8859-1 keeps every byte distinct. */
  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
