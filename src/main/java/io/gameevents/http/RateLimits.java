package io.gameevents.http;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.limit.AddressBuckets;
import io.gameevents.http.limit.TokenBucket;
import io.gameevents.http.problem.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Charges a request's events to two {@link TokenBucket}s: its credential's (the app's ceiling) and, when the
 * credential's limit has a {@code per_address} share, the one of its credential and client address
 * ({@link ClientAddress#group()}, from {@link AddressBuckets}), so that a leaked key drained from a few machines
 * leaves the rest of the key's budget to the real players. One token per event, a batch as many as it has
 * elements, valid or not, before any is checked. A request must fit both: when either refuses, neither keeps a
 * token, and the request is refused whole (429 naming the limit that was hit, nothing stored), so a retry is as
 * safe as after a 503. Events not stored (503) are given back to both.
 *
 * <p>Every answer to a rate-limited credential, from admission on, carries a bucket's state: RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset as draft-ietf-httpapi-ratelimit-headers-06 defines them, and the same
 * figures in the {@code RateLimit} field of the current draft (-11). Of the two buckets it is the one with fewer
 * events left (the credential's on a tie): the limit the client is closest to. Credentials without a limit get none.
 */
final class RateLimits {

  private static final String ADDRESS_BUCKET = "game-events.address-bucket";
  private static final String PER = ", per client address";

  private final Counter refused;
  private final AddressBuckets addressBuckets;

  RateLimits(MeterRegistry registry, AddressBuckets addressBuckets) {
    this.refused = Counter.builder("game_events_rate_limited_requests")
        .description("Requests answered 429: over their credential's rate limit, or its share per client address, "
            + "on this node").register(registry);
    this.addressBuckets = addressBuckets;
  }

  /** Before the body is read: refuses when not even one event fits, so a throttled client costs no body. */
  Problem beforeBody(RoutingContext ctx, Principal principal) {
    TokenBucket bucket = principal.bucket();
    if (bucket == null) {
      return null;
    }
    TokenBucket share = addressBucket(ctx, principal);
    long now = bucket.now();
    long shortfall = bucket.shortfall(1, now);
    long shareShortfall = share == null ? 0 : share.shortfall(1, now);
    headers(ctx.response(), bucket, share, now);
    if (shortfall > 0) {
      refused.increment();
      return keyLimited("credential \"" + principal.credentialId() + "\" is over its rate limit ("
          + describe(bucket.limit()) + ")", Math.max(shortfall, shareShortfall));
    }
    if (shareShortfall > 0) {
      refused.increment();
      return addressLimited(ctx, principal, share, "", shareShortfall);
    }
    return null;
  }

  /** Takes {@code events} tokens; null when taken, else the answer: 429, or 413 for a batch over the burst. */
  Problem charge(RoutingContext ctx, Principal principal, int events) {
    TokenBucket bucket = principal.bucket();
    if (bucket == null) {
      return null;
    }
    TokenBucket share = ctx.get(ADDRESS_BUCKET);
    HttpServerResponse response = ctx.response();
    long now = bucket.now();
    RateLimitConfig tightest = share != null && share.limit().burst() < bucket.limit().burst()
        ? share.limit() : bucket.limit();
    if (events > tightest.burst()) {
      headers(response, bucket, share, now);
      // it would never fit: a 429 would have the client retry it forever, a 413 has it split the batch
      return Problem.of(Reason.PAYLOAD_TOO_LARGE, "the batch has " + events + " events, more than the "
          + tightest.burst() + " that credential \"" + principal.credentialId() + "\" may send at once" + (tightest == bucket.limit()
          ? "" : " from one client address") + " (" + describe(tightest) + (tightest == bucket.limit() ? "" : PER)
          + "): split it into batches of at most " + tightest.burst());
    }
    long shortfall = bucket.tryTake(events, now);
    if (shortfall > 0) {
      headers(response, bucket, share, now);
      refused.increment();
      return keyLimited(requestHas(events) + " and credential \"" + principal.credentialId() + "\" has "
          + bucket.remaining(now) + " left (" + describe(bucket.limit()) + ")",
          Math.max(shortfall, share == null ? 0 : share.shortfall(events, now)));
    }
    long shareShortfall = share == null ? 0 : share.tryTake(events, now);
    if (shareShortfall > 0) {
      bucket.giveBack(events, now); // both or neither
      headers(response, bucket, share, now);
      refused.increment();
      return addressLimited(ctx, principal, share, requestHas(events) + " and ", shareShortfall);
    }
    headers(response, bucket, share, now);
    return null;
  }

  /** Gives back the tokens of events that were not stored. */
  void giveBack(RoutingContext ctx, Principal principal, int events) {
    TokenBucket bucket = principal.bucket();
    if (bucket != null && events > 0) {
      TokenBucket share = ctx.get(ADDRESS_BUCKET);
      long now = bucket.now();
      bucket.giveBack(events, now);
      if (share != null) {
        share.giveBack(events, now);
      }
      headers(ctx.response(), bucket, share, now);
    }
  }

  /** The request's (credential, address) bucket, kept on the context for the charge; null when it has none. */
  private TokenBucket addressBucket(RoutingContext ctx, Principal principal) {
    RateLimitConfig perAddress = principal.bucket().limit().perAddress();
    ClientAddress client = ClientAddress.of(ctx);
    if (perAddress == null || client == null) {
      return null;
    }
    TokenBucket share = addressBuckets.get(principal.credentialId(), client.group(), perAddress);
    ctx.put(ADDRESS_BUCKET, share);
    return share;
  }

  private static Problem keyLimited(String detail, long shortfall) {
    return Problem.of(Reason.RATE_LIMITED, detail + ": retry after " + TokenBucket.seconds(shortfall) + " s.")
        .retryAfter(TokenBucket.seconds(shortfall)).with("limit", "credential").cause("credential_rate_limit");
  }

  /** @param lead "the request has n events and " before the charge, "" before the body */
  private static Problem addressLimited(RoutingContext ctx, Principal principal, TokenBucket share, String lead,
                                        long shortfall) {
    ClientAddress client = ClientAddress.of(ctx);
    String who = client.group().equals(client.address()) ? "client address " + client.address()
        : "IPv6 client network " + client.group();
    return Problem.of(Reason.RATE_LIMITED, lead + (lead.isEmpty() ? who + " is over its" : who + " has "
        + share.remaining(share.now()) + " left of its") + " share of credential \"" + principal.credentialId()
        + "\"'s rate limit (" + describe(share.limit()) + PER + "): retry after " + TokenBucket.seconds(shortfall)
        + " s. Other addresses sending with this credential are not affected.")
        .retryAfter(TokenBucket.seconds(shortfall)).with("limit", "client_address").cause("address_rate_limit");
  }

  private static String requestHas(int events) {
    return "the request has " + events + (events == 1 ? " event" : " events");
  }

  private static String describe(RateLimitConfig limit) {
    String rate = limit.eventsPerSecond() + (limit.eventsPerSecond() == 1 ? " event" : " events");
    return rate + " per second, bursts of up to " + limit.burst() + ", on this node";
  }

  /** The state of whichever bucket has fewer events left (the credential's on a tie). */
  private static void headers(HttpServerResponse response, TokenBucket bucket, TokenBucket share, long now) {
    if (response.headWritten()) {
      return; // answered already (e.g. the request timed out)
    }
    TokenBucket closest = share != null && share.remaining(now) < bucket.remaining(now) ? share : bucket;
    String remaining = Integer.toString(closest.remaining(now));
    String reset = Long.toString(TokenBucket.seconds(closest.untilFull(now)));
    response.putHeader("RateLimit-Limit", Integer.toString(closest.limit().burst()))
        .putHeader("RateLimit-Remaining", remaining)
        .putHeader("RateLimit-Reset", reset)
        .putHeader("RateLimit", "\"events\";r=" + remaining + ";t=" + reset);
  }
}
