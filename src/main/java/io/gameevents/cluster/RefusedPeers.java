package io.gameevents.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Peers the event bus refused in the TLS handshake, by reason: the counter
 * {@code game_events_cluster_refused_peers_total{reason}} and a WARN naming the peer's address, at most one a
 * minute (a scanner or a misconfigured node retries many times a second; the counter keeps every one).
 */
public final class RefusedPeers {

  /** Why a peer was refused, as the counter's {@code reason} label says it. */
  public enum Reason {
    /** It sent no certificate: not a member, or a member started without {@code cluster.tls}. */
    NO_CERTIFICATE("no_certificate"),
    /** Its certificate is not signed by a CA in {@code cluster.tls.ca_path}, or has expired. */
    UNTRUSTED_CERTIFICATE("untrusted_certificate"),
    /** Anything else: not TLS at all (a plain-TCP event bus), no common protocol, closed or timed out mid-way. */
    HANDSHAKE("handshake");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  static final String METER = "game_events_cluster_refused_peers";
  /** The JDK's TLS engine, 1.2 and 1.3, when a client answers a certificate request with none. */
  private static final String EMPTY_CLIENT_CHAIN = "Empty client certificate chain";
  private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final Logger LOG = LoggerFactory.getLogger(RefusedPeers.class);

  private final Supplier<MeterRegistry> registry;
  private final LongSupplier nanoClock;
  private final Logger log;
  private boolean warnedOnce;
  private long lastWarnNanos;
  private long unwarned;

  /**
   * @param registry where the counter goes, looked up at each refusal: Vert.x's Prometheus registry exists only
   *                 once Vert.x has started, and the transport that reports here is made before
   */
  public RefusedPeers(Supplier<MeterRegistry> registry) {
    this(registry, System::nanoTime, LOG);
  }

  RefusedPeers(Supplier<MeterRegistry> registry, LongSupplier nanoClock, Logger log) {
    this.registry = registry;
    this.nanoClock = nanoClock;
    this.log = log;
  }

  /**
   * Every reason's series at 0, at start-up wherever {@code cluster.tls} is set (beside the certificate's expiry),
   * so that an alert's {@code increase()} sees the first refusal too and the series exist before any.
   */
  public static void register(MeterRegistry registry) {
    for (Reason reason : Reason.values()) {
      counter(registry, reason);
    }
  }

  /** The handshake with {@code peer} failed with {@code cause}. */
  void refused(SocketAddress peer, Throwable cause) {
    Reason reason = reasonOf(cause);
    counter(registry.get(), reason).increment();
    warn(peer, reason, cause);
  }

  static Reason reasonOf(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateException) {
        return Reason.UNTRUSTED_CERTIFICATE;
      }
      if (t instanceof SSLHandshakeException && t.getMessage() != null && t.getMessage().contains(EMPTY_CLIENT_CHAIN)) {
        return Reason.NO_CERTIFICATE;
      }
    }
    return Reason.HANDSHAKE;
  }

  private static Counter counter(MeterRegistry registry, Reason reason) {
    return Counter.builder(METER).tag("reason", reason.label())
        .description("Peers the event bus refused in the TLS handshake (cluster.tls), by reason")
        .register(registry);
  }

  private void warn(SocketAddress peer, Reason reason, Throwable cause) {
    long suppressed;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (warnedOnce && now - lastWarnNanos < WARN_INTERVAL_NANOS) {
        unwarned++;
        return;
      }
      warnedOnce = true;
      lastWarnNanos = now;
      suppressed = unwarned;
      unwarned = 0;
    }
    log.warn("event bus refused peer {}: {} ({}){}", peer, reason.label(), innermost(cause).getClass().getSimpleName(),
        suppressed == 0 ? "" : "; " + suppressed + " more refused since the last warning (see "
            + METER + "_total)");
  }

  /**
   * What is logged of the failure: its type only. Messages can carry what the peer sent (Netty's "not an SSL/TLS
   * record" quotes the whole record in hex, and a plain-TCP member's record holds an event, player id and all).
   */
  private static Throwable innermost(Throwable cause) {
    Throwable t = cause;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
