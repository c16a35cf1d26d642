package io.gameevents.config;

import java.util.OptionalInt;

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
    int maxRequestsPerAddress) {

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
        s.intValue("max_requests_per_address", 256, 1, 10_000_000));
    s.done();
    if (config.managementPort().isPresent() && config.managementPort().getAsInt() == config.port()) {
      throw s.invalid("management_port", "must differ from http.port (both " + config.port() + ")");
    }
    return config;
  }
}
