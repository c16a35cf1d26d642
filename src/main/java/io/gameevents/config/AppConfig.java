package io.gameevents.config;

import io.vertx.core.json.JsonObject;

/**
 * The service configuration, validated once at start-up; all but the delivery section's contents, which name the
 * sinks: the delivery stage reads them itself ({@code DeliveryConfig.of}), so that this package, at
 * the bottom, knows no stage. The composition root does so before anything starts, so a bad delivery key still
 * fails start-up, named.
 *
 * @param delivery the {@code delivery} section, not read yet
 */
public record AppConfig(HttpConfig http, AuthConfig auth, ValidationConfig validation, DedupConfig dedup,
                        Section delivery, SpoolConfig spool, ClusterConfig cluster, LogConfig log,
                        AdminConfig admin, DebuggerConfig debugger, PrivacyConfig privacy,
                        RefusedConfig refused,
                        long shutdownTimeoutMs) {

  /** Parses and validates; throws {@link ConfigException} naming the first bad key. */
  public static AppConfig from(JsonObject json) {
    Section root = Section.root(json);
    AppConfig config = new AppConfig(
        HttpConfig.from(root.section("http")),
        AuthConfig.from(root.section("auth")),
        ValidationConfig.from(root.section("validation")),
        DedupConfig.from(root.section("dedup")),
        root.section("delivery"),
        SpoolConfig.from(root.section("spool"), root.section("forward")),
        ClusterConfig.from(root.section("cluster")),
        LogConfig.from(root.section("log")),
        AdminConfig.from(root.section("admin")),
        DebuggerConfig.from(root.section("debugger")),
        PrivacyConfig.from(root.section("privacy")),
        RefusedConfig.from(root.section("refused")),
        root.longValue("shutdown_timeout_ms", 20_000, 0, 600_000));
    root.done();
    config.checkConsistency();
    PublishedCredentials.refuseOffLoopback(config);
    return config;
  }

  /** Limits that only make sense together (those involving the delivery section: {@code DeliveryConfig}). */
  private void checkConsistency() {
    if (dedup.maxInFlight() < http.maxBatchEvents()) {
      throw new ConfigException("config key 'dedup.max_in_flight' must be at least http.max_batch_events ("
          + http.maxBatchEvents() + "), or a full batch could never be taken");
    }
  }
}
