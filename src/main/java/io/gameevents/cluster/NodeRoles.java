package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterConfig.Role;
import io.vertx.core.json.JsonObject;

/**
 * What a node runs, as every other node sees it (the clustered event bus's node metadata): its
 * stages, its dedup instance count, and its {@code dedup.partitions}, which must agree cluster-wide.
 */
public record NodeRoles(boolean http, boolean dedup, boolean delivery, int dedupInstances, int partitions) {

  public static NodeRoles of(AppConfig config) {
    return new NodeRoles(config.cluster().has(Role.HTTP), config.cluster().has(Role.DEDUP),
        config.cluster().has(Role.DELIVERY), config.dedup().instances(), config.dedup().partitions());
  }

  /** Null for a node that is not one of ours (no metadata): it runs no stage. */
  public static NodeRoles fromJson(JsonObject json) {
    if (json == null || !json.containsKey("partitions")) {
      return null;
    }
    return new NodeRoles(json.getBoolean("http", false), json.getBoolean("dedup", false),
        json.getBoolean("delivery", false), json.getInteger("dedup_instances", 0), json.getInteger("partitions"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("http", http).put("dedup", dedup).put("delivery", delivery)
        .put("dedup_instances", dedupInstances).put("partitions", partitions);
  }
}
