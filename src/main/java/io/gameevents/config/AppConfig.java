package io.gameevents.config;

import io.gameevents.config.ClusterConfig.Role;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.config.SpoolConfig;
import io.gameevents.config.LogConfig;
import io.vertx.core.json.JsonObject;

/** The whole service configuration, validated once at start-up. */
public record AppConfig(HttpConfig http, AuthConfig auth, ValidationConfig validation, DedupConfig dedup,
                        DeliveryConfig delivery, SpoolConfig spool, ClusterConfig cluster, LogConfig log,
                        AdminConfig admin, DebuggerConfig debugger, PrivacyConfig privacy, long shutdownTimeoutMs) {

  /** Parses and validates; throws {@link ConfigException} naming the first bad key. */
  public static AppConfig from(JsonObject json) {
    Section root = Section.root(json);
    AppConfig config = new AppConfig(
        HttpConfig.from(root.section("http")),
        AuthConfig.from(root.section("auth")),
        ValidationConfig.from(root.section("validation")),
        DedupConfig.from(root.section("dedup")),
        DeliveryConfig.from(root.section("delivery")),
        SpoolConfig.from(root.section("spool"), root.section("forward")),
        ClusterConfig.from(root.section("cluster")),
        LogConfig.from(root.section("log")),
        AdminConfig.from(root.section("admin")),
        DebuggerConfig.from(root.section("debugger")),
        PrivacyConfig.from(root.section("privacy")),
        root.longValue("shutdown_timeout_ms", 20_000, 0, 600_000));
    root.done();
    config.checkConsistency();
    PublishedCredentials.refuseOffLoopback(config);
    return config;
  }

  /** Limits that only make sense together. */
  private void checkConsistency() {
    if (http.requestTimeoutMs() <= delivery.lingerMs() + 1000) {
      throw new ConfigException("config key 'http.request_timeout_ms' must exceed delivery.linger_ms by at least 1000");
    }
    Timeouts.of(http, delivery.answerWaitsForSinkMs(), delivery.sinkName()).check();
    if (delivery.spooled() && cluster.has(Role.DELIVERY) && !cluster.has(Role.FORWARD)) {
      throw new ConfigException("config key 'cluster.roles' has delivery but not forward while delivery.ack is spool:"
          + " this node's spool would never be forwarded to the " + delivery.sinkName() + " sink");
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
