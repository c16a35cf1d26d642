package io.gameevents;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ConfigLoader;
import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.delivery.sinks.SinkTypes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The whole configuration as the node runs it: {@link AppConfig} (the sections {@code config} reads) and the
 * delivery section, which the delivery stage reads itself because it names the sinks. Loaded here, in the
 * composition root, before anything starts: every bad key, the delivery section's included, fails start-up named.
 */
public record ServiceConfig(AppConfig app, DeliveryConfig delivery) {

  /**
   * The file config with the environment applied, validated; throws {@link ConfigException} naming the first bad
   * key.
   */
  public static ServiceConfig load(JsonObject fileConfig, Map<String, String> environment) {
    return of(ConfigLoader.loadNow(fileConfig, environment));
  }

  /** As {@link #load}, as a future, for a caller on an event loop. */
  static Future<ServiceConfig> loading(JsonObject fileConfig, Map<String, String> environment) {
    try {
      return Future.succeededFuture(load(fileConfig, environment));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
  }

  /** {@code app} with its delivery section read and checked against the rest. */
  public static ServiceConfig of(AppConfig app) {
    return new ServiceConfig(app, DeliveryConfig.of(app, SinkTypes.ALL));
  }
}
