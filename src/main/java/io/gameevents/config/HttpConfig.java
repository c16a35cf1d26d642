package io.gameevents.config;

/**
 * The HTTP stage: listener, request limits and how long a request may wait for the sink.
 * {@code max_requests_in_flight} (per instance) with {@code max_body_bytes} bounds the memory
 * that request bodies can take: instances x max_requests_in_flight x max_body_bytes.
 */
public record HttpConfig(
    String host,
    int port,
    int instances,
    int maxBodyBytes,
    int maxEventBytes,
    int maxBatchEvents,
    long requestTimeoutMs,
    int maxRequestsInFlight) {

  static HttpConfig from(Section s) {
    HttpConfig config = new HttpConfig(
        s.string("host", "0.0.0.0"),
        s.intValue("port", 8000, 0, 65535),
        s.intValue("instances", 2, 1, 256),
        s.intValue("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
        s.intValue("max_event_bytes", 32 * 1024, 256, 1000 * 1024),
        s.intValue("max_batch_events", 500, 1, 10_000),
        s.longValue("request_timeout_ms", 30_000, 100, 600_000),
        s.intValue("max_requests_in_flight", 256, 1, 100_000));
    s.done();
    return config;
  }
}
