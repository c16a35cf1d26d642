package io.gameevents.cluster;

import ch.qos.logback.classic.Level;
import io.gameevents.cluster.RefusedPeers.Reason;
import io.gameevents.support.CapturedLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RefusedPeersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final RefusedPeers peers = new RefusedPeers(() -> registry, nanos::get,
      LoggerFactory.getLogger(RefusedPeers.class));

  /** The causes the JDK's TLS engine and Netty's SslHandler give, as ClusterTlsTest meets them on a real port. */
  @Test
  void eachHandshakeFailureHasItsReason() {
    SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
    untrusted.initCause(new CertificateException("unable to find valid certification path to requested target"));

    assertThat(RefusedPeers.reasonOf(new SSLHandshakeException("Empty client certificate chain")))
        .isEqualTo(Reason.NO_CERTIFICATE);
    assertThat(RefusedPeers.reasonOf(untrusted)).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
    assertThat(RefusedPeers.reasonOf(new NotSslRecordException("not an SSL/TLS record: 00ff")))
        .isEqualTo(Reason.HANDSHAKE);
    assertThat(RefusedPeers.reasonOf(new SSLException("closed", new ClosedChannelException())))
        .isEqualTo(Reason.HANDSHAKE);
    assertThat(RefusedPeers.reasonOf(new SSLHandshakeException("no cipher suites in common")))
        .isEqualTo(Reason.HANDSHAKE);
  }

  @Test
  void everyReasonIsAtZeroOnceRegistered() {
    RefusedPeers.register(registry);

    for (Reason reason : Reason.values()) {
      assertThat(registry.get("game_events_cluster_refused_peers").tag("reason", reason.label()).counter().count())
          .as(reason.label()).isZero();
    }
  }

  /**
   * Every refusal is counted, but a WARN comes at most once a minute, naming the peer and how many went unwarned;
   * never the failure's message, which can quote what the peer sent.
   */
  @Test
  void refusalsAreAllCountedAndWarnedAtMostOnceAMinute() {
    InetSocketAddress peer = new InetSocketAddress("10.1.2.3", 41000);
    try (CapturedLog log = CapturedLog.open(Level.WARN, RefusedPeers.class.getName())) {
      peers.refused(peer, new NotSslRecordException("not an SSL/TLS record: 7b22706c617965725f6964223a"));
      for (int i = 0; i < 5; i++) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        peers.refused(peer, new SSLHandshakeException("Empty client certificate chain"));
      }
      assertThat(log.text().lines()).hasSize(1);
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
      peers.refused(new InetSocketAddress("10.9.9.9", 42000), new SSLHandshakeException("Empty client certificate chain"));

      assertThat(log.text().lines()).hasSize(2);
      assertThat(log.text()).contains("10.1.2.3:41000: handshake (NotSslRecordException)")
          .contains("10.9.9.9:42000: no_certificate (SSLHandshakeException); 5 more refused since the last warning")
          .doesNotContain("7b22");
    }
    assertThat(registry.get("game_events_cluster_refused_peers").tag("reason", "no_certificate").counter().count())
        .isEqualTo(6);
    assertThat(registry.get("game_events_cluster_refused_peers").tag("reason", "handshake").counter().count())
        .isEqualTo(1);
  }
}
