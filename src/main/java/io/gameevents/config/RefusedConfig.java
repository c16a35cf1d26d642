package io.gameevents.config;

/**
 * The keeping of events refused for their content (see docs/refused-events.md): where they go is the sink's
 * ({@code delivery.file.refused_directory}, {@code delivery.firehose.refused_stream_name}); how much of them is
 * kept is decided here.
 *
 * @param keep            false: refused events are answered as before and kept nowhere
 * @param perAddress      kept refusals each (credential, client address) may spend: a leaked key can't use up
 *                        the app's whole budget, nor fill the disk
 * @param maxBytes        the refused tree's total size (file sink): beyond it, refusals are answered "not kept"
 * @param retentionDays   refused files older than this are deleted (file sink)
 * @param maxPayloadBytes the most of one refused event's bytes a record holds; the rest is cut
 *                        ({@code payload_truncated})
 * @param writeTimeoutMs  how long an answer waits for its refused record to be written; later, it says "not kept"
 * @param metricAppVersions distinct {@code app_version} label values the refusal counter takes; later ones are
 *                        counted as {@code other}
 */
public record RefusedConfig(boolean keep, RateLimitConfig perAddress, long maxBytes, int retentionDays,
                            int maxPayloadBytes, long writeTimeoutMs, int metricAppVersions) {

  public static RefusedConfig from(Section s) {
    Section budget = s.section("per_address");
    RateLimitConfig perAddress = new RateLimitConfig(
        budget.intValue("events_per_second", 10, 1, RateLimitConfig.MAX),
        budget.intValue("burst", 100, 1, RateLimitConfig.MAX));
    budget.done();
    RefusedConfig config = new RefusedConfig(
        s.bool("keep", true),
        perAddress,
        s.longValue("max_bytes", 10L << 30, 1L << 16, 1L << 50),
        s.intValue("retention_days", 14, 1, 3650),
        s.intValue("max_payload_bytes", 64 * 1024, 256, 900 * 1024),
        s.longValue("write_timeout_ms", 2_000, 10, 60_000),
        s.intValue("metric_app_versions", 20, 0, 1000));
    s.done();
    return config;
  }
}
