package io.gameevents.config;

/**
 * A token bucket for one credential, on one node: {@code burst} events at once, refilled at
 * {@code events_per_second}. Written {@code "rate_limit": {"events_per_second": N, "burst": M}} on an API
 * key, under {@code auth.jwt} (one bucket per token subject) or as {@code auth.default_rate_limit}; the
 * string {@code "off"} exempts a key from the default.
 */
public record RateLimitConfig(int eventsPerSecond, int burst) {

  static final int MAX = 1_000_000;

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
    if (!limit.has("events_per_second")) {
      throw new ConfigException("config key '" + limit.key("events_per_second") + "' is required");
    }
    int eventsPerSecond = limit.intValue("events_per_second", 0, 1, MAX);
    // one second's worth by default: a client sending at the rate never waits
    int burst = limit.intValue("burst", eventsPerSecond, 1, MAX);
    limit.done();
    return new RateLimitConfig(eventsPerSecond, burst);
  }
}
