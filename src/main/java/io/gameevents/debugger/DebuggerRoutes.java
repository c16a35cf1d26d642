package io.gameevents.debugger;

import io.gameevents.http.ClientAddress;
import io.gameevents.http.Problem;
import io.gameevents.http.auth.AuthenticationException;
import io.gameevents.http.limit.TokenBucket;
import io.gameevents.http.problem.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * {@code GET /debugger} (the page: plain HTML, CSS and JS from the classpath), its two assets, and
 * {@code GET /debugger/events} (the stream). The page holds no data, so a browser may load it without a
 * credential; everything it shows comes from the stream, which takes an admin token as
 * {@code Authorization: Bearer} (the page sends it with a streaming fetch, never in the URL). Any credential that
 * is not an admin token gets the same 401, a game's valid API key included: a different answer would confirm
 * that a key is valid. Wrong tokens are throttled per client address ({@link FailedAttempts}: 429 with
 * Retry-After), so the debugger is no oracle for guessing one.
 */
public final class DebuggerRoutes {

  private static final String SECURITY = "default-src 'self'; frame-ancestors 'none'";

  private final Debugger debugger;

  DebuggerRoutes(Debugger debugger) {
    this.debugger = debugger;
  }

  public static void mount(Router router, Debugger debugger) {
    if (!debugger.watching()) {
      router.getWithRegex("/debugger(/.*)?").handler(ctx -> Problem.of(Reason.DEBUGGER_OFF,
          "the live event debugger is off on this node: configure admin.tokens to open it").send(ctx));
      return;
    }
    DebuggerRoutes routes = new DebuggerRoutes(debugger);
    Buffer page = resource("debugger/index.html");
    Buffer script = resource("debugger/debugger.js");
    Buffer style = resource("debugger/debugger.css");
    router.get("/debugger/events").handler(routes::events);
    router.get("/debugger/debugger.js").handler(ctx -> asset(ctx, "text/javascript; charset=utf-8", script));
    router.get("/debugger/debugger.css").handler(ctx -> asset(ctx, "text/css; charset=utf-8", style));
    router.get("/debugger").handler(ctx -> {
      if (ctx.request().getHeader("Authorization") == null) {
        asset(ctx, "text/html; charset=utf-8", page);
      } else {
        routes.authorize(ctx, admin -> asset(ctx, "text/html; charset=utf-8", page));
      }
    });
  }

  private void events(RoutingContext ctx) {
    authorize(ctx, admin -> {
      Filter filter;
      try {
        filter = Filter.parse(ctx.request().getParam("app_id"), ctx.request().getParam("event_type"),
            ctx.request().getParam("status"));
      } catch (IllegalArgumentException e) {
        Problem.of(Reason.MALFORMED_REQUEST, e.getMessage()).send(ctx);
        return;
      }
      if (!debugger.admit()) {
        Problem.of(Reason.UNAVAILABLE, "This node already has " + debugger.config().maxSubscribers()
            + " debugger streams open (debugger.max_subscribers); close one.").retryAfter(5)
            .cause("debugger_full").send(ctx);
        return;
      }
      new Subscriber(debugger, ctx.vertx(), ctx.response(), filter, admin).start();
    });
  }

  /**
   * Runs {@code then} with the admin token's id; else 401 (no token, or any that is not an admin token), or 429
   * while the client's address has failed too often.
   */
  private void authorize(RoutingContext ctx, Consumer<String> then) {
    authorize(debugger, ctx, "the debugger", then);
  }

  /** The same for another admin endpoint ({@code tool} names it in the 401), with the same failed attempts. */
  static void authorize(Debugger debugger, RoutingContext ctx, String tool, Consumer<String> then) {
    String header = ctx.request().getHeader("Authorization");
    String address = clientAddress(ctx);
    FailedAttempts attempts = debugger.failedAttempts();
    long waitNanos = header == null ? 0 : attempts.retryAfterNanos(address);
    if (waitNanos > 0) {
      long seconds = TokenBucket.seconds(waitNanos);
      Problem.of(Reason.TOO_MANY_FAILED_ATTEMPTS, "too many wrong admin tokens from this address; try again in "
          + seconds + " s").retryAfter(seconds).cause("too_many_failed_attempts").send(ctx);
      return;
    }
    String admin;
    try {
      admin = debugger.tokens().authenticate(header);
    } catch (AuthenticationException notAdmin) {
      if (header != null) { // no header is no guess: opening the page must not count
        attempts.failed(address);
      }
      Problem.unauthorized(notAdmin.getMessage() + "; " + tool + " takes an admin token (admin.tokens)",
          notAdmin.wwwAuthenticate()).send(ctx);
      return;
    }
    then.accept(admin);
  }

  /**
   * Whom failed attempts are charged to: the client as the public listener worked it out (behind a trusted proxy,
   * the player's; an IPv6 client by its /64), else the peer's address (the management listener trusts no proxy).
   */
  static String clientAddress(RoutingContext ctx) {
    ClientAddress client = ClientAddress.of(ctx);
    if (client != null) {
      return client.group();
    }
    SocketAddress peer = ctx.request().remoteAddress();
    return peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
  }

  private static void asset(RoutingContext ctx, String contentType, Buffer body) {
    ctx.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", SECURITY).putHeader("X-Content-Type-Options", "nosniff")
        .end(body);
  }

  private static Buffer resource(String name) {
    try (InputStream in = DebuggerRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
