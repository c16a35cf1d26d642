package io.gameevents.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Reads the request body and decompresses it (gzip or deflate) under one limit that applies to
 * the decompressed size, so a gzip bomb stops at the limit with 413 and a corrupt stream gets a
 * 400, never a dropped connection or unbounded memory. We decompress here rather than in Netty
 * because Netty's decompressor closes the connection on corrupt input without an answer.
 */
final class BodyReader implements Handler<RoutingContext> {

  static final String BODY = "game-events.body";
  private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

  private final int maxBytes;

  BodyReader(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The decompressed body bytes stored by this handler. */
  static byte[] body(RoutingContext ctx) {
    return ctx.get(BODY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader("Content-Length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
      tooLarge(ctx);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        refused[0] = true;
        tooLarge(ctx);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(failure -> refused[0] = true);
    request.endHandler(end -> {
      if (refused[0]) {
        return;
      }
      String encoding = request.getHeader("Content-Encoding");
      encoding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
      try {
        ctx.put(BODY, switch (encoding) {
          case "gzip", "x-gzip" -> inflate(body.getBytes(), true);
          case "deflate" -> inflate(body.getBytes(), false);
          default -> body.getBytes();
        });
      } catch (TooLargeException e) {
        tooLarge(ctx);
        return;
      } catch (DataFormatException | ZipException e) {
        Problem.badRequest("the body is not valid " + encoding + " data").send(ctx.response());
        return;
      }
      ctx.next();
    });
    request.resume();
  }

  private void tooLarge(RoutingContext ctx) {
    ctx.response().putHeader("Connection", "close");
    Problem.tooLarge("the body is larger than " + maxBytes
        + " bytes (after decompression); split it into smaller batches").send(ctx.response());
  }

  /** Inflates gzip (possibly several members) or zlib data, stopping as soon as the output passes the limit. */
  private byte[] inflate(byte[] input, boolean gzip) throws DataFormatException, ZipException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, input.length * 4)));
    byte[] chunk = new byte[16 * 1024];
    int offset = 0;
    do {
      Inflater inflater;
      if (gzip) {
        offset = skipGzipHeader(input, offset);
        inflater = new Inflater(true);
      } else {
        inflater = new Inflater(false);
      }
      try {
        inflater.setInput(input, offset, input.length - offset);
        while (!inflater.finished()) {
          int n = inflater.inflate(chunk);
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new DataFormatException("truncated stream");
          }
          if (out.size() + n > maxBytes) {
            throw new TooLargeException();
          }
          out.write(chunk, 0, n);
        }
        offset = input.length - inflater.getRemaining() + (gzip ? 8 : 0); // gzip trailer: CRC32 + size
      } finally {
        inflater.end();
      }
    } while (gzip && offset + 1 < input.length && input[offset] == GZIP_MAGIC[0] && input[offset + 1] == GZIP_MAGIC[1]);
    return out.toByteArray();
  }

  /** Returns the offset of the deflate data after a gzip member header (RFC 1952). */
  private static int skipGzipHeader(byte[] in, int offset) throws ZipException {
    if (in.length - offset < 10 || in[offset] != GZIP_MAGIC[0] || in[offset + 1] != GZIP_MAGIC[1] || in[offset + 2] != 8) {
      throw new ZipException("not gzip");
    }
    int flags = in[offset + 3] & 0xff;
    int pos = offset + 10;
    if ((flags & 4) != 0) { // FEXTRA
      if (pos + 2 > in.length) {
        throw new ZipException("truncated header");
      }
      pos += 2 + ((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8);
    }
    if ((flags & 8) != 0) { // FNAME
      pos = skipZeroTerminated(in, pos);
    }
    if ((flags & 16) != 0) { // FCOMMENT
      pos = skipZeroTerminated(in, pos);
    }
    if ((flags & 2) != 0) { // FHCRC
      pos += 2;
    }
    if (pos > in.length) {
      throw new ZipException("truncated header");
    }
    return pos;
  }

  private static int skipZeroTerminated(byte[] in, int pos) throws ZipException {
    while (pos < in.length && in[pos] != 0) {
      pos++;
    }
    if (pos >= in.length) {
      throw new ZipException("truncated header");
    }
    return pos + 1;
  }

  private static final class TooLargeException extends Exception {
    TooLargeException() {
      super(null, null, false, false);
    }
  }
}
