package io.gameevents.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Answers written straight into their bytes, for the ones sent per event: a {@code JsonObject} per element cost the
 * batch answer more than everything else in it (a map per element, then a serializer looked up per value). The
 * generator comes from the factory Vert.x's own {@code Json.encode} uses, so a string is escaped exactly as before,
 * to the byte (quote, backslash and control characters escaped; other text left as UTF-8, surrogates as Jackson
 * writes them).
 */
final class AnswerJson {

  private static final JsonFactory FACTORY = DatabindCodec.mapper().getFactory();

  private AnswerJson() {
  }

  /** Writes one JSON value onto a generator. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  /** The bytes {@code writer} writes, in a buffer first sized {@code sizeHint}. */
  static Buffer render(int sizeHint, Writer writer) {
    Buffer buffer = Buffer.buffer(sizeHint);
    try (JsonGenerator generator = FACTORY.createGenerator(new BufferOutput(buffer))) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException("writing into memory failed", e); // a buffer never fails to take bytes
    }
    return buffer;
  }

  /** The generator's flushes appended to the buffer, with no copy through a byte array of the whole. */
  private static final class BufferOutput extends OutputStream {

    private final Buffer buffer;

    BufferOutput(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }
}
