package io.gameevents.config;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The HTTP stage: listener, request limits and how long a request may wait for the sink.
 * {@code max_requests_in_flight} (per instance) with {@code max_body_bytes} bounds the memory
 * that request bodies can take: instances x max_requests_in_flight x max_body_bytes.
 *
 * @param managementPort where /metrics is served instead of {@code port} (with /health and /ready
 *                       there too), so it can be kept off the clients' network; empty: on {@code port}
 * @param bodyTimeoutMs how long a request's whole body may take to arrive, from its admission: a
 *                      client trickling bytes resets the idle timeout with each one, so only a
 *                      deadline frees the request slot it holds (408, connection closed)
 * @param maxRequestsPerAddress request slots one client address may hold at once on this node (all
 *                              instances together), so a few hosts cannot take every slot (429)
 * @param trustedProxies the load balancers and proxies whose word on the client's address is taken: from a peer
 *                       in one of these ranges, the client is the last untrusted hop of {@code forwardedHeader}
 * @param forwardedHeader which header those proxies maintain, {@code x-forwarded-for} or {@code forwarded}
 *                        (RFC 7239): only one is read, as a proxy passes the other one on from the client untouched
 * @param proxyProtocol the public listener expects a PROXY protocol (v1 or v2) header on every connection, as an
 *                      NLB or HAProxy sends it, and takes its source as the peer; the management listener does not
 *                      (probes and health checks send none), so this needs {@code managementPort}
 * @param maxRateLimitedAddresses (credential, client address) pairs whose per-address rate limit this node
 *                                keeps at once; past it the one used longest ago starts over full
 * @param h2c           HTTP/2 over cleartext (prior knowledge, and the Upgrade: h2c of an HTTP/1.1
 *                      request); off by default: behind a proxy that filters HTTP/1 requests by path, a
 *                      client switching to h2c is no longer seen by those rules. HTTP/2 over TLS is
 *                      the front proxy's to offer. On, HTTP/1 requests are read as Netty reads them,
 *                      without the service's stricter framing checks (see http.FramingDecoder).
 */
public record HttpConfig(
    String host,
    int port,
    OptionalInt managementPort,
    int instances,
    int maxBodyBytes,
    int maxEventBytes,
    int maxBatchEvents,
    long requestTimeoutMs,
    int maxRequestsInFlight,
    long bodyTimeoutMs,
    int maxRequestsPerAddress,
    List<Cidr> trustedProxies,
    String forwardedHeader,
    boolean proxyProtocol,
    int maxRateLimitedAddresses,
    boolean h2c) {

  static HttpConfig from(Section s) {
    HttpConfig config = new HttpConfig(
        // this machine only unless asked: listening on every interface is a choice to make, not a default
        s.string("host", "127.0.0.1"),
        s.intValue("port", 8000, 0, 65535),
        // 0 is refused: an ephemeral port nobody knows could not be scraped
        s.has("management_port") ? OptionalInt.of(s.intValue("management_port", 0, 1, 65535)) : OptionalInt.empty(),
        s.intValue("instances", 2, 1, 256),
        s.intValue("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
        s.intValue("max_event_bytes", 32 * 1024, 256, 1000 * 1024),
        s.intValue("max_batch_events", 500, 1, 10_000),
        s.longValue("request_timeout_ms", 30_000, 100, 600_000),
        s.intValue("max_requests_in_flight", 256, 1, 100_000),
        s.longValue("body_timeout_ms", 15_000, 100, 600_000),
        s.intValue("max_requests_per_address", 256, 1, 10_000_000),
        s.strings("trusted_proxies", List.of()).stream()
            .map(range -> Cidr.parse(range, problem -> s.invalid("trusted_proxies", problem))).toList(),
        s.oneOf("forwarded_header", "x-forwarded-for", Set.of("x-forwarded-for", "forwarded")),
        s.bool("proxy_protocol", false),
        // ~16 MB: far more pairs than send within one refill of a bucket, so an address still sending keeps its own
        s.intValue("max_rate_limited_addresses", 65_536, 16, 10_000_000),
        s.bool("h2c", false));
    s.done();
    if (config.proxyProtocol() && config.managementPort().isEmpty()) {
      throw s.invalid("proxy_protocol", "needs http.management_port: health checks and Kubernetes probes send no "
          + "PROXY header, so they need a listener that expects none");
    }
    if (config.managementPort().isPresent() && config.managementPort().getAsInt() == config.port()) {
      throw s.invalid("management_port", "must differ from http.port (both " + config.port() + ")");
    }
    return config;
  }
}
