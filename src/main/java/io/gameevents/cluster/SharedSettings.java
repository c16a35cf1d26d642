package io.gameevents.cluster;

import io.gameevents.config.AppConfig;
import io.gameevents.config.ClusterSecret;
import io.gameevents.config.HashKey;
import io.vertx.core.json.JsonObject;

/**
 * The settings every member of a cluster must share, published in its node metadata and compared at join:
 * a member that differs would route ids to owners that don't hold them ({@code dedup.partitions}) or refuse
 * messages another member may send ({@code http.max_batch_events}, {@code http.max_event_bytes}, which bound
 * the clustered messages, see {@code WireLimits}) or hash an event's ids into another identity and partition
 * ({@code dedup.hash_key}, compared by its fingerprint, never the key itself), or prove its entries with another
 * {@code cluster.secret} (its fingerprint too), which the others would ignore.
 *
 * @param dedupKeyFingerprint {@link HashKey#fingerprint} of {@code dedup.hash_key}; null when not set
 * @param secretFingerprint   {@link ClusterKey#fingerprint} of {@code cluster.secret}; null when not set
 */
public record SharedSettings(int partitions, int maxBatchEvents, int maxEventBytes, String dedupKeyFingerprint,
                             String secretFingerprint) {

  public static SharedSettings of(AppConfig config) {
    HashKey key = config.dedup().hashKey();
    ClusterSecret secret = config.cluster().secret();
    return new SharedSettings(config.dedup().partitions(), config.http().maxBatchEvents(),
        config.http().maxEventBytes(), key == null ? null : key.fingerprint(),
        secret == null ? null : ClusterKey.derive(secret).fingerprint());
  }

  /** A member without a field (an older version) reads as 0 there, which no config allows: it differs. */
  static SharedSettings fromJson(JsonObject json) {
    return new SharedSettings(json.getInteger("partitions", 0), json.getInteger("max_batch_events", 0),
        json.getInteger("max_event_bytes", 0), json.getString("dedup_key_fingerprint"),
        json.getString("secret_fingerprint"));
  }

  void toJson(JsonObject json) {
    json.put("partitions", partitions).put("max_batch_events", maxBatchEvents).put("max_event_bytes", maxEventBytes)
        .put("dedup_key_fingerprint", dedupKeyFingerprint).put("secret_fingerprint", secretFingerprint);
  }

  /** The first setting {@code other} (cluster member {@code memberId}) differs in, worded for the log; null if none. */
  public String difference(SharedSettings other, String memberId) {
    String secret = secretDifference(other, memberId);
    if (secret != null) {
      return secret;
    }
    if (other.partitions != partitions) {
      return differs("dedup.partitions", partitions, other.partitions, memberId);
    }
    if (other.maxBatchEvents != maxBatchEvents) {
      return differs("http.max_batch_events", maxBatchEvents, other.maxBatchEvents, memberId);
    }
    if (other.maxEventBytes != maxEventBytes) {
      return differs("http.max_event_bytes", maxEventBytes, other.maxEventBytes, memberId);
    }
    // a member that hashes no ids (no http or dedup role) may have no key; two keys must be the same key
    if (dedupKeyFingerprint != null && other.dedupKeyFingerprint != null
        && !dedupKeyFingerprint.equals(other.dedupKeyFingerprint)) {
      return "config key 'dedup.hash_key' differs from cluster member " + memberId + "'s (key fingerprint "
          + dedupKeyFingerprint + " here, " + other.dedupKeyFingerprint + " there): every node of a cluster must "
          + "use the same key, or an event's copies get different identities and partitions";
    }
    return null;
  }

  /**
   * Whether {@code other} proves its entries with another {@code cluster.secret}: then neither side would count the
   * other's, and both would claim the same partitions. Null if not (or either has none).
   */
  public String secretDifference(SharedSettings other, String memberId) {
    if (secretFingerprint != null && other.secretFingerprint != null
        && !secretFingerprint.equals(other.secretFingerprint)) {
      return "config key 'cluster.secret' differs from cluster member " + memberId + "'s (fingerprint "
          + secretFingerprint + " here, " + other.secretFingerprint + " there): every node of a cluster must use the"
          + " same secret, or each ignores what the other writes into the cluster";
    }
    return null;
  }

  private static String differs(String key, Object mine, Object theirs, String memberId) {
    return "config key '" + key + "' is " + mine + " on this node but " + theirs + " on cluster member " + memberId
        + ": every node of a cluster must use the same value";
  }
}
