package io.gameevents.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request refused before its body was read, and then closes the HTTP/1 connection as the
 * answer's {@code Connection: close} says: the unread body can't be taken for the next request, and
 * a connection left open would hold a socket until the idle timeout.
 *
 * <p>Closing at once is not enough: with body bytes still unread in the receive buffer the kernel
 * answers the close with a reset, and a client that writes its whole body before it reads (Python's
 * http.client, many SDKs) gets "connection reset" instead of the answer. So up to
 * {@code drainBytes} of the body are read and dropped first, for at most {@code drainMs} and until
 * {@link #IDLE_MS} pass without a byte; a body larger than that meets the reset, which bounds what a
 * refused client can make us read. A client that has sent its head only and then waits, silent, holds
 * its socket no longer than that quiet time.
 *
 * <p>HTTP/2 streams are not closed (the connection carries other requests): their remaining body is
 * drained, so the stream ends and the connection's flow-control window is given back.
 */
final class Refusal {

  /**
   * How long the drain waits for the body's next byte: a client writing its body sends without pauses
   * this long, and one that stays silent after an answer it was told ends the connection has no reason
   * to be waited for.
   */
  static final long IDLE_MS = 5000;

  private final Vertx vertx;
  private final long drainBytes;
  private final long drainMs;
  private final long idleMs;

  Refusal(Vertx vertx, long drainBytes, long drainMs) {
    this.vertx = vertx;
    this.drainBytes = drainBytes;
    this.drainMs = drainMs;
    this.idleMs = Math.min(IDLE_MS, drainMs);
  }

  /** Answers, drains up to the bound, then closes. */
  void send(RoutingContext ctx, Problem problem) {
    answer(ctx, problem, true);
  }

  /** Answers and closes once the answer is written, reading nothing more (a client too slow to wait for). */
  void sendAndClose(RoutingContext ctx, Problem problem) {
    answer(ctx, problem, false);
  }

  private void answer(RoutingContext ctx, Problem problem, boolean drain) {
    HttpServerRequest request = ctx.request();
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (!http2) {
      ctx.response().putHeader("Connection", "close");
    }
    Future<Void> written = problem.send(ctx);
    Future<Void> drained = drain || http2 ? drain(request) : Future.succeededFuture();
    if (!http2) {
      Future.join(written, drained).onComplete(done -> request.connection().close());
    }
  }

  private Future<Void> drain(HttpServerRequest request) {
    if (request.isEnded()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    long[] read = {0};
    long deadline = vertx.setTimer(drainMs, id -> drained.tryComplete());
    long[] lastByteNanos = {System.nanoTime()};
    long[] quiet = new long[1];
    awaitQuiet(drained, lastByteNanos, quiet, idleMs);
    request.handler(chunk -> {
      read[0] += chunk.length();
      lastByteNanos[0] = System.nanoTime();
      if (read[0] > drainBytes) {
        drained.tryComplete();
      }
    });
    request.endHandler(end -> drained.tryComplete());
    request.exceptionHandler(failure -> drained.tryComplete());
    request.resume();
    return drained.future().onComplete(done -> {
      vertx.cancelTimer(deadline);
      vertx.cancelTimer(quiet[0]);
    });
  }

  /**
   * Ends the drain once {@code idleMs} pass without a byte. One timer, moved on when it fires early
   * rather than reset by every chunk (a drained body arrives in many).
   */
  private void awaitQuiet(Promise<Void> drained, long[] lastByteNanos, long[] timer, long delayMs) {
    timer[0] = vertx.setTimer(Math.max(1, delayMs), id -> {
      long quietMs = (System.nanoTime() - lastByteNanos[0]) / 1_000_000;
      if (quietMs >= idleMs) {
        drained.tryComplete();
      } else {
        awaitQuiet(drained, lastByteNanos, timer, idleMs - quietMs);
      }
    });
  }
}
