package io.gameevents.config;


import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code log} section: the layout of every line, and how much the access log writes.
 *
 * @param format              {@code json} (one object per line, the default) or {@code text} (for a terminal)
 * @param accessEnabled       {@code log.access.enabled}: false writes no line per request at all
 * @param accessSampleRate    {@code log.access.sample_rate}, 0..1: the share of answered requests (status below
 *                            400) that get a line; 0 writes none of them
 * @param rejectionsPerSecond {@code log.rejections_per_second}: at most this many lines a second for each
 *                            (reason, credential) of requests answered 400 or more; 0 writes none
 */
public record LogConfig(Format format, boolean accessEnabled, double accessSampleRate, int rejectionsPerSecond) {

  public enum Format {
    JSON, TEXT;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** In this order in the error message. */
  private static final Set<String> FORMATS = new LinkedHashSet<>(List.of("json", "text"));

  /** The environment variable that sets {@code log.format}; read before the rest, so start-up is logged in it too. */
  public static final String ENVIRONMENT_VARIABLE = "GAME_EVENTS_LOG_FORMAT";

  public static LogConfig from(Section s) {
    Format format = Format.valueOf(s.oneOf("format", "json", FORMATS).toUpperCase(Locale.ROOT));
    Section access = s.section("access");
    boolean enabled = access.bool("enabled", true);
    double sampleRate = access.doubleValue("sample_rate", 1.0, 0, 1);
    access.done();
    int rejectionsPerSecond = s.intValue("rejections_per_second", 10, 0, 100_000);
    s.done();
    return new LogConfig(format, enabled, sampleRate, rejectionsPerSecond);
  }
}
