package io.gameevents.http;

import io.gameevents.util.Gzip;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;

/**
 * Reads the request body and decompresses it (gzip or deflate) under one limit that applies to
 * the decompressed size, so a gzip bomb stops at the limit with 413 and a corrupt stream gets a
 * 400, never a dropped connection or unbounded memory. We decompress here rather than in Netty
 * because Netty's decompressor closes the connection on corrupt input without an answer.
 */
final class BodyReader implements Handler<RoutingContext> {

  static final String BODY = "game-events.body";

  private final int maxBytes;
  private final DebugHook debug;

  BodyReader(int maxBytes, DebugHook debug) {
    this.maxBytes = maxBytes;
    this.debug = debug;
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
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue(); // admitted: the client may send the body now
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
      if (encoding.equals("identity") && Gzip.looksGzipped(body.getBytes())) {
        // a client that compresses but forgets the header would otherwise read "not valid JSON ... 0x1f"
        Problem.badRequest("the body looks gzip-compressed: send Content-Encoding: gzip").send(ctx);
        return;
      }
      try {
        ctx.put(BODY, switch (encoding) {
          case "gzip", "x-gzip" -> Gzip.inflate(body.getBytes(), true, maxBytes);
          case "deflate" -> Gzip.inflate(body.getBytes(), false, maxBytes);
          default -> body.getBytes();
        });
      } catch (Gzip.TooLargeException e) {
        tooLarge(ctx);
        return;
      } catch (DataFormatException | ZipException e) {
        refuse(ctx, Problem.badRequest("the body is not valid " + encoding + " data"));
        return;
      }
      ctx.next();
    });
    request.resume();
  }

  private void tooLarge(RoutingContext ctx) {
    ctx.response().putHeader("Connection", "close");
    refuse(ctx, Problem.tooLarge("the body is larger than " + maxBytes
        + " bytes (after decompression); split it into smaller batches"));
  }

  private void refuse(RoutingContext ctx, Problem problem) {
    problem.send(ctx);
    debug.refused(ctx, null, null, null, problem);
  }
}
