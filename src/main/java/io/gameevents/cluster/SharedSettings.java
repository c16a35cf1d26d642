package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.vertx.core.json.JsonObject;

/**
 * The settings every member of a cluster must share, published in its node metadata and compared at join:
 * a member that differs would route ids to owners that don't hold them ({@code dedup.partitions}) or refuse
 * messages another member may send ({@code http.max_batch_events}, {@code http.max_event_bytes}, which bound
 * the clustered messages, see {@code WireLimits}).
 */
public record SharedSettings(int partitions, int maxBatchEvents, int maxEventBytes) {

  public static SharedSettings of(AppConfig config) {
    return new SharedSettings(config.dedup().partitions(), config.http().maxBatchEvents(),
        config.http().maxEventBytes());
  }

  /** A member without a field (an older version) reads as 0 there, which no config allows: it differs. */
  static SharedSettings fromJson(JsonObject json) {
    return new SharedSettings(json.getInteger("partitions", 0), json.getInteger("max_batch_events", 0),
        json.getInteger("max_event_bytes", 0));
  }

  void toJson(JsonObject json) {
    json.put("partitions", partitions).put("max_batch_events", maxBatchEvents).put("max_event_bytes", maxEventBytes);
  }

  /** The first setting {@code other} (cluster member {@code memberId}) differs in, worded for the log; null if none. */
  public String difference(SharedSettings other, String memberId) {
    if (other.partitions != partitions) {
      return differs("dedup.partitions", partitions, other.partitions, memberId);
    }
    if (other.maxBatchEvents != maxBatchEvents) {
      return differs("http.max_batch_events", maxBatchEvents, other.maxBatchEvents, memberId);
    }
    if (other.maxEventBytes != maxEventBytes) {
      return differs("http.max_event_bytes", maxEventBytes, other.maxEventBytes, memberId);
    }
    return null;
  }

  private static String differs(String key, Object mine, Object theirs, String memberId) {
    return "config key '" + key + "' is " + mine + " on this node but " + theirs + " on cluster member " + memberId
        + ": every node of a cluster must use the same value";
  }
}
