package io.gameevents.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.gameevents.util.JsonBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Answers written straight into their bytes ({@link JsonBytes}), for the ones sent per event: a {@code JsonObject}
 * per element cost the batch answer more than everything else in it (a map per element, then a serializer looked
 * up per value). What JsonBytes leaves to a generator is written by one of the factory Vert.x's own
 * {@code Json.encode} uses, so a string is escaped exactly as before, to the byte (quote, backslash and control
 * characters escaped; other text left as UTF-8, surrogates as Jackson writes them).
 */
final class AnswerJson {

  private static final JsonFactory FACTORY = DatabindCodec.mapper().getFactory();
  /** Room for a 100-event batch's answer; one grown past {@link #MAX_KEPT} by a larger one is not kept. */
  private static final int INITIAL = 16 * 1024;
  private static final int MAX_KEPT = 256 * 1024;
  /** Each event loop writes its answers in its own bytes, copied once into the answer's buffer. */
  private static final ThreadLocal<JsonBytes> OUT = ThreadLocal.withInitial(() -> new JsonBytes(FACTORY, INITIAL));

  private AnswerJson() {
  }

  /** Writes one JSON value. */
  @FunctionalInterface
  interface Writer {
    void write(JsonBytes out) throws IOException;
  }

  /** The bytes {@code writer} writes. */
  static Buffer render(Writer writer) {
    JsonBytes out = OUT.get();
    try {
      writer.write(out);
      return Buffer.buffer(out.size()).appendBytes(out.array(), 0, out.size());
    } catch (IOException e) {
      out.dropGenerator();
      throw new UncheckedIOException("writing into memory failed", e); // memory never fails to take bytes
    } finally {
      out.reset(MAX_KEPT, INITIAL);
    }
  }
}
