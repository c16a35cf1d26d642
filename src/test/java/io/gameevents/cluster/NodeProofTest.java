package io.gameevents.cluster;

import io.gameevents.config.ClusterSecret;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Node metadata and leaving notices count only with the proof of the cluster's secret, for that node. */
class NodeProofTest {

  private static final ClusterKey KEY = ClusterKey.derive(ClusterSecret.of("node-proof-test-secret-0123456789abcdef"));
  private static final ClusterKey OTHER = ClusterKey.derive(ClusterSecret.of("another-clusters-secret-0123456789abcd"));
  private static final NodeRoles WORKER = new NodeRoles(false, true, true, 2,
      new SharedSettings(64, 500, 32 * 1024, "fp", KEY.fingerprint()));
  private static final NodeInfo INFO = new NodeInfo("10.0.0.5", 5710, WORKER.toJson());

  @Test
  void signedMetadataVerifiesForItsNodeOnly() {
    NodeInfo signed = NodeProof.sign(KEY, "node-a", INFO, "start-1");
    assertThat(NodeProof.verify(KEY, "node-a", signed)).isEqualTo(new NodeProof.Proven(WORKER, "start-1"));
    assertThat(NodeProof.verify(KEY, "node-b", signed)).as("copied by another node").isNull();
    assertThat(NodeProof.verify(OTHER, "node-a", signed)).as("another secret").isNull();
    assertThat(NodeProof.verify(KEY, "node-a", new NodeInfo("10.0.0.6", 5710, signed.metadata())))
        .as("another address").isNull();
    assertThat(NodeProof.verify(KEY, "node-a", INFO)).as("no proof").isNull();
    assertThat(NodeProof.claimsRoles(INFO)).isTrue();
  }

  @Test
  void tamperedRolesOrStartTokenAreRefused() {
    JsonObject metadata = NodeProof.sign(KEY, "node-a", INFO, "start-1").metadata();
    for (JsonObject tampered : new JsonObject[] {metadata.copy().put("http", true), metadata.copy().put("dedup_instances", 64),
        metadata.copy().put("partitions", 32), metadata.copy().put("start_token", "start-2"),
        metadata.copy().put("proof", 7)}) {
      assertThat(NodeProof.verify(KEY, "node-a", new NodeInfo("10.0.0.5", 5710, tampered))).as(tampered.encode())
          .isNull();
    }
    assertThat(NodeProof.verify(KEY, "node-a", new NodeInfo("10.0.0.5", 5710, metadata.copy().put("extra", 1))))
        .as("a field the proof does not cover changes nothing").isNotNull();
  }

  @Test
  void aLeavingNoticeNamesItsNodeOnlyWithItsProof() {
    JsonObject notice = NodeProof.leavingNotice(KEY, "node-a", "start-1");
    assertThat(NodeProof.verifyLeaving(KEY, notice)).isEqualTo("node-a");
    assertThat(NodeProof.verifyLeaving(KEY, notice.copy().put("node", "node-b"))).isNull();
    assertThat(NodeProof.verifyLeaving(KEY, notice.copy().put("start_token", "start-2"))).isNull();
    assertThat(NodeProof.verifyLeaving(OTHER, notice)).isNull();
    assertThat(NodeProof.verifyLeaving(KEY, new JsonObject().put("node", "node-a"))).isNull();
    assertThat(NodeProof.verifyLeaving(KEY, new JsonObject().put("node", 5))).isNull();
  }
}
