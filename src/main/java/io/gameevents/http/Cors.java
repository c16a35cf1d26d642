package io.gameevents.http;

import io.gameevents.http.auth.Authenticator;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the ingestion endpoints, so browser games can send events. Origins are allowed per API key
 * ({@code allowed_origins}). A preflight carries no credential, so it is answered for any origin that some key
 * allows; the actual request is then checked against the key that authenticated it. Answers to an allowed
 * origin carry the CORS headers, errors included, so the page can read why it was refused. A request whose
 * Origin names this service's own host is checked like any other: the Host header is the client's to choose, so
 * "same origin" proves nothing; the docs page's "Try it out" works because the dev key lists the docs' origins.
 */
final class Cors {

  static final String ALLOW_METHODS = "POST, OPTIONS";
  static final String ALLOW_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Request-Id";
  static final String EXPOSE_HEADERS = "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
      + "RateLimit-Reset, RateLimit";
  /** How long a browser may reuse a preflight answer; browsers cap it (Chrome at 2 hours). */
  static final String MAX_AGE_SECONDS = "600";
  private static final String ORIGIN = "game-events.origin";
  private static final int MAX_ECHOED_ORIGIN_CHARS = 200;

  private final Authenticator authenticator;

  Cors(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** OPTIONS: a browser asks whether a page of its Origin may POST here with our headers. */
  void preflight(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().putHeader("Vary", "Origin");
    String origin = crossOrigin(ctx.request());
    if (origin == null) { // not a cross-origin preflight: say what the endpoint takes
      response.putHeader("Allow", ALLOW_METHODS).setStatusCode(204).end();
      return;
    }
    if (!authenticator.someCredentialAllows(origin)) {
      Problem.of(Reason.ORIGIN_NOT_ALLOWED, "no API key is allowed from origin "
          + quoted(origin) + ": add it to the allowed_origins of the key the page uses").cause("origin_not_allowed")
          .send(ctx);
      return;
    }
    response.putHeader("Access-Control-Allow-Origin", origin)
        .putHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
        .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
        .putHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
        .setStatusCode(204).end();
  }

  /** The first handler of an ingestion POST: the CORS headers go on every answer to an origin some key allows. */
  void start(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().putHeader("Vary", "Origin");
    String origin = crossOrigin(ctx.request());
    if (origin != null) {
      ctx.put(ORIGIN, origin);
      if (authenticator.someCredentialAllows(origin)) {
        response.putHeader("Access-Control-Allow-Origin", origin)
            .putHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
      }
    }
    ctx.next();
  }

  /**
   * Once the credential is known: null when it may be used from the request's origin (or the request is not
   * cross-origin), else the 403 to send, without CORS headers: the page's own key does not allow its site.
   */
  static Problem refusal(RoutingContext ctx, Principal principal) {
    String origin = ctx.get(ORIGIN);
    if (origin == null || principal.mayBeUsedFrom(origin)) {
      return null;
    }
    ctx.response().headers().remove("Access-Control-Allow-Origin").remove("Access-Control-Expose-Headers");
    return Problem.of(Reason.ORIGIN_NOT_ALLOWED, "this API key is not allowed from origin "
        + quoted(origin) + ": add it to the key's allowed_origins").cause("origin_not_allowed");
  }

  /** The request's Origin (a browser page's), or null without one (a game client, a server). */
  static String crossOrigin(HttpServerRequest request) {
    return request.getHeader("Origin");
  }

  private static String quoted(String origin) {
    return "\"" + (origin.length() <= MAX_ECHOED_ORIGIN_CHARS ? origin
        : origin.substring(0, MAX_ECHOED_ORIGIN_CHARS) + "...") + "\"";
  }
}
