package io.gameevents.http;

import io.gameevents.http.auth.AuthenticationException;
import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.gameevents.pipeline.Outcome;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything decided before the body is read: draining, the per-instance bound on requests in
 * flight, the node's bound per client address, Content-Encoding, Content-Type, the credential (and
 * whether a browser page of the request's Origin may use it, see {@link Cors}), and whether its rate
 * limit has room for an event. A request refused here costs no body buffering, so neither an unauthenticated client, a
 * throttled one nor a flood can make the server hold bodies.
 */
final class RequestGate implements Handler<RoutingContext> {

  static final String PRINCIPAL = "game-events.principal";
  private static final Set<String> ENCODINGS = Set.of("identity", "gzip", "x-gzip", "deflate");
  private static final List<String> SINGLE_HEADERS = List.of("Authorization", "Content-Type", "Content-Encoding");

  private final Authenticator authenticator;
  private final RateLimits rateLimits;
  private final int maxRequestsInFlight;
  private final AddressSlots addressSlots;
  private final Refusal refusal;
  private final long retryAfterSeconds;
  private final DebugHook debug;
  private boolean draining;
  /** Admitted and not yet answered: at the shutdown deadline each still here gets its 503. */
  private final Set<RoutingContext> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());

  RequestGate(Authenticator authenticator, RateLimits rateLimits, int maxRequestsInFlight, AddressSlots addressSlots,
            Refusal refusal, long retryAfterSeconds, DebugHook debug) {
    this.debug = debug;
    this.authenticator = authenticator;
    this.rateLimits = rateLimits;
    this.maxRequestsInFlight = maxRequestsInFlight;
    this.addressSlots = addressSlots;
    this.refusal = refusal;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  int requestsInFlight() {
    return inFlight.size();
  }

  /**
   * The shutdown deadline: each request still unanswered gets the drain's 503 (its events were not
   * acknowledged, so the client's retry is safe) instead of a connection closed with no answer.
   */
  void refuseUnanswered() {
    for (RoutingContext ctx : List.copyOf(inFlight)) {
      if (!ctx.response().ended()) {
        refuse(ctx, shuttingDown());
      }
    }
  }

  private Problem shuttingDown() {
    return Problem.notStored(Outcome.SHUTTING_DOWN, retryAfterSeconds);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (draining) {
      refuse(ctx, shuttingDown());
      return;
    }
    if (inFlight.size() >= maxRequestsInFlight) {
      refuse(ctx, Problem.notStored(Outcome.OVERLOADED, retryAfterSeconds).cause("requests_in_flight"));
      return;
    }
    String doubled = doubledHeader(ctx.request().headers());
    if (doubled != null) {
      refuse(ctx, Problem.of(Reason.MALFORMED_REQUEST,
          "the request has more than one " + doubled + " header; send exactly one")
          .cause("doubled_header"));
      return;
    }
    String encoding = ctx.request().getHeader("Content-Encoding");
    if (encoding != null && !ENCODINGS.contains(encoding.trim().toLowerCase(Locale.ROOT))) {
      refuse(ctx, Problem.of(Reason.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding \"" + encoding + "\" is not supported; use gzip or none")
          .cause("content_encoding"));
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (!isJson(contentType)) {
      refuse(ctx, Problem.of(Reason.UNSUPPORTED_MEDIA_TYPE, contentType == null
          ? "the request has no Content-Type; send Content-Type: application/json"
          : "Content-Type \"" + contentType + "\" is not supported; send application/json").cause("content_type"));
      return;
    }
    ClientAddress client = ClientAddress.of(ctx);
    String address = client == null ? null : client.group();
    if (address != null && !addressSlots.tryTake(address)) {
      refuse(ctx, Problem.of(Reason.TOO_MANY_CONCURRENT_REQUESTS, "this client address has "
          + addressSlots.maxPerAddress() + " requests in progress already, the most one address may have.")
          .retryAfter(retryAfterSeconds).cause("requests_per_address"));
      return;
    }
    inFlight.add(ctx);
    ctx.addEndHandler(ended -> {
      inFlight.remove(ctx);
      if (address != null) {
        addressSlots.release(address);
      }
    });
    ctx.request().pause(); // the body waits while the credential is checked
    authenticator.authenticate(ctx.request().getHeader("Authorization")).onComplete(checked -> {
      if (checked.succeeded()) {
        ctx.put(PRINCIPAL, checked.result());
        Problem wrongOrigin = Cors.refusal(ctx, checked.result()); // before the rate limit: it costs no event
        if (wrongOrigin != null) {
          refuse(ctx, wrongOrigin);
          return;
        }
        Problem limited = rateLimits.beforeBody(ctx, checked.result());
        if (limited != null) {
          refuse(ctx, limited);
        } else {
          ctx.next();
        }
      } else if (checked.cause() instanceof AuthenticationException e) {
        refuse(ctx, Problem.unauthorized(e.getMessage(), e.wwwAuthenticate()));
      } else {
        refuse(ctx, Problem.unauthorized("the credential could not be verified", "Bearer error=\"invalid_token\""));
      }
    });
  }

  /** Answers without reading the body, then closes the connection (see {@link Refusal}). */
  private void refuse(RoutingContext ctx, Problem problem) {
    refusal.send(ctx, problem);
    debug.refused(ctx, null, null, null, problem);
  }

  /**
   * A header that decides how the request is read or whose it is, given twice: which one counts
   * differs between proxies and servers, so neither is taken (a valid key first and a stolen one
   * second, or JSON declared twice with different charsets).
   */
  private static String doubledHeader(MultiMap headers) {
    for (String name : SINGLE_HEADERS) {
      if (headers.getAll(name).size() > 1) {
        return name;
      }
    }
    return null;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].trim().equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
        return false;
      }
    }
    return true;
  }
}
