package io.gameevents.http;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.limit.TokenBucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;

/**
 * Charges a request's events to its credential's {@link TokenBucket}: one per event, a batch as many as it
 * has elements, valid or not, before any is checked. A request that does not fit is refused whole (429, nothing
 * stored), so a retry is as safe as after a 503. Events not stored (503) are given back.
 *
 * <p>Every answer to a rate-limited credential, from admission on, carries the bucket's state: RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset as draft-ietf-httpapi-ratelimit-headers-06 defines them, and the same
 * figures in the {@code RateLimit} field of the current draft (-11). Credentials without a limit get none.
 */
final class RateLimits {

  private final Counter refused;

  RateLimits(MeterRegistry registry) {
    this.refused = Counter.builder("game_events_rate_limited_requests")
        .description("Requests answered 429: over their credential's rate limit on this node").register(registry);
  }

  /** Before the body is read: refuses when not even one event fits, so a throttled client costs no body. */
  Problem beforeBody(Principal principal, HttpServerResponse response) {
    TokenBucket bucket = principal.bucket();
    if (bucket == null) {
      return null;
    }
    long now = bucket.now();
    long shortfall = bucket.shortfall(1, now);
    headers(response, bucket, now);
    if (shortfall == 0) {
      return null;
    }
    refused.increment();
    return Problem.tooManyRequests("credential \"" + principal.credentialId() + "\" is over its rate limit ("
        + describe(bucket.limit()) + "): retry after " + TokenBucket.seconds(shortfall) + " s.",
        TokenBucket.seconds(shortfall));
  }

  /** Takes {@code events} tokens; null when taken, else the answer: 429, or 413 for a batch over the burst. */
  Problem charge(Principal principal, int events, HttpServerResponse response) {
    TokenBucket bucket = principal.bucket();
    if (bucket == null) {
      return null;
    }
    RateLimitConfig limit = bucket.limit();
    long now = bucket.now();
    if (events > limit.burst()) {
      headers(response, bucket, now);
      // it would never fit: a 429 would have the client retry it forever, a 413 has it split the batch
      return Problem.tooLarge("the batch has " + events + " events, more than the " + limit.burst()
          + " that credential \"" + principal.credentialId() + "\" may send at once (" + describe(limit)
          + "): split it into batches of at most " + limit.burst());
    }
    long shortfall = bucket.tryTake(events, now);
    headers(response, bucket, now);
    if (shortfall == 0) {
      return null;
    }
    refused.increment();
    return Problem.tooManyRequests("the request has " + events + (events == 1 ? " event" : " events")
        + " and credential \"" + principal.credentialId() + "\" has " + bucket.remaining(now) + " left ("
        + describe(limit) + "): retry after " + TokenBucket.seconds(shortfall) + " s.",
        TokenBucket.seconds(shortfall));
  }

  /** Gives back the tokens of events that were not stored. */
  void giveBack(Principal principal, int events, HttpServerResponse response) {
    TokenBucket bucket = principal.bucket();
    if (bucket != null && events > 0) {
      long now = bucket.now();
      bucket.giveBack(events, now);
      headers(response, bucket, now);
    }
  }

  private static String describe(RateLimitConfig limit) {
    String rate = limit.eventsPerSecond() + (limit.eventsPerSecond() == 1 ? " event" : " events");
    return rate + " per second, bursts of up to " + limit.burst() + ", on this node";
  }

  private static void headers(HttpServerResponse response, TokenBucket bucket, long now) {
    if (response.headWritten()) {
      return; // answered already (e.g. the request timed out)
    }
    String remaining = Integer.toString(bucket.remaining(now));
    String reset = Long.toString(TokenBucket.seconds(bucket.untilFull(now)));
    response.putHeader("RateLimit-Limit", Integer.toString(bucket.limit().burst()))
        .putHeader("RateLimit-Remaining", remaining)
        .putHeader("RateLimit-Reset", reset)
        .putHeader("RateLimit", "\"events\";r=" + remaining + ";t=" + reset);
  }
}
