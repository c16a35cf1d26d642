package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.vertx.core.json.JsonObject;

/**
 * What a node runs, as every other node sees it (the clustered event bus's node metadata): its
 * stages, its dedup instance count, and the settings that must agree cluster-wide ({@link SharedSettings}).
 */
public record NodeRoles(boolean http, boolean dedup, boolean delivery, int dedupInstances, SharedSettings shared) {

  public static NodeRoles of(AppConfig config) {
    return new NodeRoles(config.cluster().has(Role.HTTP), config.cluster().has(Role.DEDUP),
        config.cluster().has(Role.DELIVERY), config.dedup().instances(), SharedSettings.of(config));
  }

  public int partitions() {
    return shared.partitions();
  }

  /** Null for a node that is not one of ours (no metadata): it runs no stage. */
  public static NodeRoles fromJson(JsonObject json) {
    if (json == null || !json.containsKey("partitions")) {
      return null;
    }
    return new NodeRoles(json.getBoolean("http", false), json.getBoolean("dedup", false),
        json.getBoolean("delivery", false), json.getInteger("dedup_instances", 0), SharedSettings.fromJson(json));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("http", http).put("dedup", dedup).put("delivery", delivery)
        .put("dedup_instances", dedupInstances);
    shared.toJson(json);
    return json;
  }
}
