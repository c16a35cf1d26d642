package io.gameevents.config;

import io.vertx.core.json.JsonObject;

/** The whole service configuration, validated once at start-up. */
public record AppConfig(HttpConfig http, AuthConfig auth, ValidationConfig validation, DedupConfig dedup,
                        DeliveryConfig delivery, long shutdownTimeoutMs) {

  /** Parses and validates; throws {@link ConfigException} naming the first bad key. */
  public static AppConfig from(JsonObject json) {
    Section root = Section.root(json);
    AppConfig config = new AppConfig(
        HttpConfig.from(root.section("http")),
        AuthConfig.from(root.section("auth")),
        ValidationConfig.from(root.section("validation")),
        DedupConfig.from(root.section("dedup")),
        DeliveryConfig.from(root.section("delivery")),
        root.longValue("shutdown_timeout_ms", 20_000, 0, 600_000));
    root.done();
    if (config.http.requestTimeoutMs() <= config.delivery.lingerMs()) {
      throw new ConfigException("config key 'http.request_timeout_ms' must be larger than delivery.linger_ms");
    }
    return config;
  }
}
