package io.gameevents.config;

import io.vertx.core.json.JsonObject;

/** The whole service configuration, validated once at start-up. */
public record AppConfig(HttpConfig http, AuthConfig auth, ValidationConfig validation, DedupConfig dedup,
                        DeliveryConfig delivery, ClusterConfig cluster,
                        long shutdownTimeoutMs) {

  /** Parses and validates; throws {@link ConfigException} naming the first bad key. */
  public static AppConfig from(JsonObject json) {
    Section root = Section.root(json);
    AppConfig config = new AppConfig(
        HttpConfig.from(root.section("http")),
        AuthConfig.from(root.section("auth")),
        ValidationConfig.from(root.section("validation")),
        DedupConfig.from(root.section("dedup")),
        DeliveryConfig.from(root.section("delivery")),
        ClusterConfig.from(root.section("cluster")),
        root.longValue("shutdown_timeout_ms", 20_000, 0, 600_000));
    root.done();
    config.checkConsistency();
    return config;
  }

  /** Limits that only make sense together. */
  private void checkConsistency() {
    if (http.requestTimeoutMs() <= delivery.lingerMs() + 1000) {
      throw new ConfigException("config key 'http.request_timeout_ms' must exceed delivery.linger_ms by at least 1000");
    }
    if ("firehose".equals(delivery.sink()) && delivery.firehose().deliveryDeadlineMs() + 2000 > http.requestTimeoutMs()) {
      throw new ConfigException("config key 'delivery.firehose.delivery_deadline_ms' must be at least 2000 below "
          + "http.request_timeout_ms (" + http.requestTimeoutMs() + "), or clients would be told 503 for events "
          + "still being delivered");
    }
    if (delivery.maxInFlightEvents() < http.maxBatchEvents()) {
      throw new ConfigException("config key 'delivery.max_in_flight_events' must be at least http.max_batch_events ("
          + http.maxBatchEvents() + "), or a full batch could never be taken");
    }
    if (dedup.maxInFlight() < http.maxBatchEvents()) {
      throw new ConfigException("config key 'dedup.max_in_flight' must be at least http.max_batch_events ("
          + http.maxBatchEvents() + "), or a full batch could never be taken");
    }
  }
}
