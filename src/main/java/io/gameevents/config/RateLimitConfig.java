package io.gameevents.config;

/**
 * A token bucket for one credential, on one node: {@code burst} events at once, refilled at
 * {@code events_per_second}. Written {@code "rate_limit": {"events_per_second": N, "burst": M}} on an API
 * key, under {@code auth.jwt} (one bucket per token subject) or as {@code auth.default_rate_limit}; the
 * string {@code "off"} exempts a key from the default.
 *
 * <p>Inside it, {@code per_address} (same form, or {@code "off"}) is the share one client address may take of
 * it: a key shipped in a game can be extracted, and whoever has it could otherwise drain the key's bucket from
 * one machine and have every real player answered 429. A request must fit both buckets.
 *
 * @param perAddress the limit of each (credential, client address), or null for none
 */
public record RateLimitConfig(int eventsPerSecond, int burst, RateLimitConfig perAddress) {

  static final int MAX = 1_000_000;
  /** Without per_address, one address may take a tenth of the key's rate (see docs/running-on-the-internet.md). */
  static final int DEFAULT_ADDRESS_SHARE = 10;

  /** Without a per-address limit. */
  public RateLimitConfig(int eventsPerSecond, int burst) {
    this(eventsPerSecond, burst, null);
  }

  /**
   * The limit under {@code name} in {@code s}: {@code fallback} when the key is absent, null (no limit) when
   * it is {@code "off"}.
   */
  static RateLimitConfig from(Section s, String name, RateLimitConfig fallback) {
    if (!s.has(name)) {
      return fallback;
    }
    if (s.isString(name)) {
      if (!"off".equals(s.string(name, null))) {
        throw s.invalid(name, "must be an object {\"events_per_second\": N, \"burst\": M} or \"off\"");
      }
      return null;
    }
    Section limit = s.section(name);
    RateLimitConfig own = bucket(limit);
    // the default keeps the key's burst, so every batch the key may send still fits one address
    RateLimitConfig perAddress = new RateLimitConfig(
        Math.max(1, (own.eventsPerSecond() + DEFAULT_ADDRESS_SHARE - 1) / DEFAULT_ADDRESS_SHARE), own.burst());
    if (limit.has("per_address")) {
      if (limit.isString("per_address")) {
        if (!"off".equals(limit.string("per_address", null))) {
          throw limit.invalid("per_address", "must be an object {\"events_per_second\": N, \"burst\": M} or \"off\"");
        }
        perAddress = null;
      } else {
        Section share = limit.section("per_address");
        perAddress = bucket(share);
        share.done();
      }
    }
    limit.done();
    if (perAddress != null && (perAddress.eventsPerSecond() > own.eventsPerSecond() || perAddress.burst() > own.burst())) {
      throw limit.invalid("per_address", "must not allow more than the key's own limit (" + own.eventsPerSecond()
          + " events per second, burst " + own.burst() + ")");
    }
    return new RateLimitConfig(own.eventsPerSecond(), own.burst(), perAddress);
  }

  private static RateLimitConfig bucket(Section limit) {
    if (!limit.has("events_per_second")) {
      throw new ConfigException("config key '" + limit.key("events_per_second") + "' is required");
    }
    int eventsPerSecond = limit.intValue("events_per_second", 0, 1, MAX);
    // one second's worth by default: a client sending at the rate never waits
    int burst = limit.intValue("burst", eventsPerSecond, 1, MAX);
    return new RateLimitConfig(eventsPerSecond, burst);
  }
}
