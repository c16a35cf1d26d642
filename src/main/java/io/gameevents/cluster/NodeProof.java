package io.gameevents.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;

/**
 * A node's metadata ({@link NodeRoles}, its event-bus address) with the proof that a holder of {@code cluster.secret}
 * published it for that node id. The proof also covers a start token, new at every start, which a leaving
 * notice must name: a notice from an earlier run of a node never applies to a later one.
 */
public final class NodeProof {

  static final String KIND = "node";
  static final String LEAVING = "leaving";
  static final String START_TOKEN = "start_token";
  static final String PROOF = "proof";

  /** A member's proven metadata. */
  public record Proven(NodeRoles roles, String startToken) {
  }

  private NodeProof() {
  }

  /** {@code info} with the start token and the proof added to its metadata. */
  static NodeInfo sign(ClusterKey key, String nodeId, NodeInfo info, String startToken) {
    NodeRoles roles = NodeRoles.fromJson(info.metadata());
    JsonObject metadata = info.metadata() == null ? new JsonObject() : info.metadata().copy();
    metadata.put(START_TOKEN, startToken)
        .put(PROOF, key.prove(KIND, nodeId, info.host(), info.port(), startToken, canonical(roles)));
    return new NodeInfo(info.host(), info.port(), metadata);
  }

  /** The proven metadata, or null: not ours (no roles) or not proven for {@code nodeId}. */
  static Proven verify(ClusterKey key, String nodeId, NodeInfo info) {
    JsonObject metadata = info == null ? null : info.metadata();
    NodeRoles roles;
    String startToken;
    String proof;
    try {
      roles = NodeRoles.fromJson(metadata);
      startToken = metadata == null ? null : metadata.getString(START_TOKEN);
      proof = metadata == null ? null : metadata.getString(PROOF);
    } catch (ClassCastException wrongType) {
      return null;
    }
    if (roles == null || startToken == null
        || !key.verifies(proof, KIND, nodeId, info.host(), info.port(), startToken, canonical(roles))) {
      return null;
    }
    return new Proven(roles, startToken);
  }

  /** Whether {@code metadata} claims to be one of ours: it has roles (a proof or not). */
  static boolean claimsRoles(NodeInfo info) {
    try {
      return info != null && NodeRoles.fromJson(info.metadata()) != null;
    } catch (ClassCastException wrongType) {
      return true;
    }
  }

  /** The roles {@code info} claims, unproven; null when it claims none or they do not parse. */
  static NodeRoles claimedRoles(NodeInfo info) {
    try {
      return info == null ? null : NodeRoles.fromJson(info.metadata());
    } catch (ClassCastException wrongType) {
      return null;
    }
  }

  static JsonObject leavingNotice(ClusterKey key, String nodeId, String startToken) {
    return new JsonObject().put("node", nodeId).put(START_TOKEN, startToken)
        .put(PROOF, key.prove(LEAVING, nodeId, startToken));
  }

  /** The node a leaving notice names if its proof holds, else null. */
  static String verifyLeaving(ClusterKey key, JsonObject notice) {
    try {
      String node = notice.getString("node");
      String startToken = notice.getString(START_TOKEN);
      return node != null && startToken != null && key.verifies(notice.getString(PROOF), LEAVING, node, startToken)
          ? node : null;
    } catch (ClassCastException wrongType) {
      return null;
    }
  }

  /** The roles as the proof covers them: re-encoded from the parsed record, so extra fields change nothing. */
  private static String canonical(NodeRoles roles) {
    return roles == null ? "" : roles.toJson().encode();
  }
}
