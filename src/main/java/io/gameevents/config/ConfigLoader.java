package io.gameevents.config;

import io.vertx.config.spi.utils.JsonObjectHelper;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the configuration from two sources, in this order: the config file (the {@code -conf} JSON Main read), then
 * the environment (as Main read it, passed in: nothing here reads the process's). The environment wins, so a
 * variable always overrides the file. Only the variables listed in {@link #ENV} are taken.
 */
public final class ConfigLoader {

  /** Environment variable -> config key it overrides. docs/configuration.md lists them (ConfigurationReferenceTest). */
  public static final Map<String, String> ENV = new LinkedHashMap<>();

  static {
    ENV.put("GAME_EVENTS_HTTP_HOST", "http.host");
    ENV.put("GAME_EVENTS_HTTP_PORT", "http.port");
    ENV.put("GAME_EVENTS_HTTP_INSTANCES", "http.instances");
    ENV.put("GAME_EVENTS_MANAGEMENT_PORT", "http.management_port");
    ENV.put("GAME_EVENTS_API_KEYS", "auth.api_keys");
    ENV.put("GAME_EVENTS_ADMIN_TOKENS", "admin.tokens");
    ENV.put("GAME_EVENTS_JWT_ALGORITHM", "auth.jwt.algorithm");
    ENV.put("GAME_EVENTS_JWT_SECRET", "auth.jwt.secret");
    ENV.put("GAME_EVENTS_JWT_PUBLIC_KEY", "auth.jwt.public_key_pem");
    ENV.put("GAME_EVENTS_JWT_ISSUER", "auth.jwt.issuer");
    ENV.put("GAME_EVENTS_JWT_AUDIENCE", "auth.jwt.audience");
    ENV.put("GAME_EVENTS_SCHEMA_DIRECTORY", "validation.schema_directory");
    ENV.put("GAME_EVENTS_DEDUP_INSTANCES", "dedup.instances");
    ENV.put("GAME_EVENTS_DEDUP_MAX_ENTRIES", "dedup.max_entries");
    ENV.put("GAME_EVENTS_DEDUP_PARTITIONS", "dedup.partitions");
    ENV.put("GAME_EVENTS_DEDUP_DIRECTORY", "dedup.directory");
    ENV.put("GAME_EVENTS_PRIVACY_DIRECTORY", "privacy.directory");
    ENV.put("GAME_EVENTS_DEDUP_HASH_KEY", "dedup.hash_key");
    ENV.put("GAME_EVENTS_DELIVERY_INSTANCES", "delivery.instances");
    ENV.put("GAME_EVENTS_SINK", "delivery.sink");
    ENV.put("GAME_EVENTS_ACK", "delivery.ack");
    ENV.put("GAME_EVENTS_SPOOL_DIRECTORY", "spool.directory");
    ENV.put("GAME_EVENTS_SPOOL_MAX_BYTES", "spool.max_bytes");
    ENV.put("GAME_EVENTS_FORWARD_INSTANCES", "forward.instances");
    ENV.put("GAME_EVENTS_FILE_DIRECTORY", "delivery.file.directory");
    ENV.put("GAME_EVENTS_FIREHOSE_STREAM", "delivery.firehose.stream_name");
    ENV.put("GAME_EVENTS_FIREHOSE_REGION", "delivery.firehose.region");
    ENV.put("GAME_EVENTS_FIREHOSE_ENDPOINT", "delivery.firehose.endpoint_override");
    ENV.put("GAME_EVENTS_FIREHOSE_STREAMS", "delivery.firehose.stream_names");
    ENV.put("GAME_EVENTS_FIREHOSE_AGGREGATE", "delivery.firehose.aggregate");
    ENV.put("GAME_EVENTS_CLUSTER_NAME", "cluster.name");
    ENV.put("GAME_EVENTS_CLUSTER_HOST", "cluster.host");
    ENV.put("GAME_EVENTS_CLUSTER_PORT", "cluster.port");
    ENV.put("GAME_EVENTS_CLUSTER_EVENT_BUS_PORT", "cluster.event_bus_port");
    ENV.put("GAME_EVENTS_CLUSTER_MEMBERS", "cluster.members");
    ENV.put("GAME_EVENTS_CLUSTER_ROLES", "cluster.roles");
    ENV.put("GAME_EVENTS_CLUSTER_FAILURE_DETECTION_SECONDS", "cluster.failure_detection_seconds");
    ENV.put("GAME_EVENTS_CLUSTER_KUBERNETES_SERVICE_DNS", "cluster.kubernetes_service_dns");
    ENV.put("GAME_EVENTS_CLUSTER_TLS_CERT_PATH", "cluster.tls.cert_path");
    ENV.put("GAME_EVENTS_CLUSTER_TLS_KEY_PATH", "cluster.tls.key_path");
    ENV.put("GAME_EVENTS_CLUSTER_TLS_CA_PATH", "cluster.tls.ca_path");
    ENV.put("GAME_EVENTS_CLUSTER_INSECURE_PLAINTEXT", "cluster.insecure_plaintext");
    ENV.put("GAME_EVENTS_CLUSTER_SECRET", "cluster.secret");
    ENV.put("GAME_EVENTS_PRIVACY_TOMBSTONE_SALT", "privacy.tombstone_salt");
    ENV.put(LogConfig.ENVIRONMENT_VARIABLE, "log.format");
  }

  /** Variables taken as text whatever they look like: a hex key of decimal digits only is still a key. */
  static final java.util.Set<String> TEXT_ONLY = java.util.Set.of("GAME_EVENTS_DEDUP_HASH_KEY",
      "GAME_EVENTS_CLUSTER_SECRET");

  private ConfigLoader() {
  }

  /**
   * The file config with the environment applied, validated; as a future for a caller on an event loop (the
   * credentials reload). Each variable's value is read as vertx-config's environment store reads it
   * ({@code true}/{@code false} in any case, numbers, JSON objects and arrays, else text), so a value means what
   * operators of Vert.x services expect. Two JSON objects are merged here by hand: a {@code ConfigRetriever} would
   * add stores, processors and a JSON round trip to every start-up for nothing this needs.
   *
   * @param environment the process environment, as {@link io.gameevents.Main} read it once
   */
  public static Future<AppConfig> load(JsonObject fileConfig, Map<String, String> environment) {
    try {
      return Future.succeededFuture(loadNow(fileConfig, environment));
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
  }

  /**
   * A variable's value as the environment store gave it: its conversion, then through JSON text as every store's
   * output went (so a number is an Integer, Long or Double, as in the file, not a BigInteger or BigDecimal).
   */
  static Object typed(String text) {
    Object value = JsonObjectHelper.convert(text);
    return value instanceof Number number ? Json.decodeValue(number.toString()) : value;
  }

  /**
   * As {@link #load}, without a Vertx instance: {@link io.gameevents.Main} loads the config before Vert.x starts
   * (the cluster section decides how it starts). Throws {@link ConfigException} naming the first bad key.
   */
  public static AppConfig loadNow(JsonObject fileConfig, Map<String, String> environment) {
    return AppConfig.from(merge(fileConfig, environment, ConfigLoader::typed));
  }

  /** The file config with the process environment applied, not validated: for a section needed early. */
  public static JsonObject merge(JsonObject fileConfig, Map<String, String> environment) {
    return merge(fileConfig, environment, text -> text);
  }

  private static JsonObject merge(JsonObject fileConfig, Map<String, String> environment,
                                  Function<String, Object> value) {
    JsonObject merged = fileConfig.copy();
    ENV.keySet().forEach(variable -> {
      if (environment.containsKey(variable)) {
        String text = environment.get(variable);
        merged.put(variable, TEXT_ONLY.contains(variable) ? text : value.apply(text));
      }
    });
    return applyEnvironment(merged);
  }

  /** Moves each flat {@code GAME_EVENTS_*} entry onto its nested key. */
  static JsonObject applyEnvironment(JsonObject merged) {
    JsonObject result = merged.copy();
    ENV.forEach((variable, key) -> {
      Object value = result.remove(variable);
      if (value != null) {
        put(result, key, value); // strings are parsed per key by Section
      }
    });
    return result;
  }

  private static void put(JsonObject root, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
