package io.gameevents.http;

import io.gameevents.http.problem.Reason;
import io.gameevents.util.Gzip;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.regex.Pattern;
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
  /** Compiled once, not per request ({@code String.matches} would compile it on every call, on the event loop). */
  private static final Pattern DECIMAL_LENGTH = Pattern.compile("\\d{1,18}");

  private final int maxBytes;
  private final long timeoutMs;
  private final Refusal refusal;
  private final DebugHook debug;

  /** {@code timeoutMs}: the whole body must arrive within it, else 408 (http.body_timeout_ms). */
  BodyReader(int maxBytes, long timeoutMs, Refusal refusal, DebugHook debug) {
    this.maxBytes = maxBytes;
    this.timeoutMs = timeoutMs;
    this.refusal = refusal;
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
    if (declared != null && DECIMAL_LENGTH.matcher(declared).matches() && Long.parseLong(declared) > maxBytes) {
      tooLarge(ctx);
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      request.response().writeContinue(); // admitted: the client may send the body now
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    // each byte resets the idle timeout, so a trickling client is cut off by this deadline alone
    long deadline = ctx.vertx().setTimer(timeoutMs, id -> {
      if (!refused[0]) {
        refused[0] = true;
        Problem problem = bodyTimeout();
        refusal.sendAndClose(ctx, problem);
        debug.refused(ctx, null, null, null, problem);
      }
    });
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        refused[0] = true;
        ctx.vertx().cancelTimer(deadline);
        tooLarge(ctx);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(failure -> {
      refused[0] = true;
      ctx.vertx().cancelTimer(deadline);
    });
    request.endHandler(end -> {
      if (refused[0]) {
        return;
      }
      ctx.vertx().cancelTimer(deadline);
      String encoding = request.getHeader("Content-Encoding");
      encoding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
      byte[] bytes = body.getBytes(); // a copy: taken once
      if (encoding.equals("identity") && Gzip.looksGzipped(bytes)) {
        // a client that compresses but forgets the header would otherwise read "not valid JSON ... 0x1f"
        refuse(ctx, Problem.of(Reason.MALFORMED_REQUEST,
            "the body looks gzip-compressed: send Content-Encoding: gzip"));
        return;
      }
      try {
        ctx.put(BODY, switch (encoding) {
          case "gzip", "x-gzip" -> Gzip.inflate(bytes, true, maxBytes);
          case "deflate" -> Gzip.inflate(bytes, false, maxBytes);
          default -> bytes;
        });
      } catch (Gzip.TooLargeException e) {
        tooLarge(ctx);
        return;
      } catch (Gzip.TooManyMembersException e) {
        // 400, not 413: the body is within the size limit and read in full; its shape is refused, and smaller
        // batches (413's advice) would not help a client that writes a gzip member per event
        refuse(ctx, Problem.of(Reason.MALFORMED_REQUEST, "the body is more than " + Gzip.MAX_MEMBERS
            + " concatenated gzip streams (members); compress the whole body as one gzip stream"));
        return;
      } catch (DataFormatException | ZipException e) {
        refuse(ctx, Problem.of(Reason.MALFORMED_REQUEST, "the body is not valid " + encoding + " data"));
        return;
      }
      ctx.next();
    });
    request.resume();
  }

  /** Refused with the body unread (see {@link Refusal}: it is drained up to a bound, then the connection closed). */
  private void tooLarge(RoutingContext ctx) {
    Problem problem = Problem.of(Reason.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes
        + " bytes (after decompression); split it into smaller batches");
    refusal.send(ctx, problem);
    debug.refused(ctx, null, null, null, problem);
  }

  /** 408: the body did not arrive within {@code http.body_timeout_ms}; nothing was stored. */
  private Problem bodyTimeout() {
    return Problem.of(Reason.BODY_TIMEOUT, "the request body did not arrive within " + timeoutMs
        + " ms of the request being admitted; nothing was stored. Send the body at once, or smaller batches on a slow "
        + "link; the connection is closed").cause("body_timeout");
  }

  /** Refused once the whole body is read: the connection stays usable. */
  private void refuse(RoutingContext ctx, Problem problem) {
    problem.send(ctx);
    debug.refused(ctx, null, null, null, problem);
  }
}
