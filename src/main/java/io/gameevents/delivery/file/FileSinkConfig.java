package io.gameevents.delivery.file;

import io.gameevents.config.Section;

/** The embedded sink: NDJSON files under {@code directory}/YYYY/MM/DD/HH/, rotated by size and age. */
public record FileSinkConfig(String directory, String stream, long rotateBytes, long rotateSeconds, boolean gzip) {

  public static FileSinkConfig from(Section s) {
    String stream = s.string("stream", "game-events");
    if (!stream.matches("[A-Za-z0-9._-]{1,64}")) {
      throw s.invalid("stream", "may only contain letters, digits, '.', '_' and '-'");
    }
    FileSinkConfig config = new FileSinkConfig(
        s.string("directory", "data/events"),
        stream,
        s.longValue("rotate_bytes", 128L * 1024 * 1024, 1024, 16L * 1024 * 1024 * 1024),
        s.longValue("rotate_seconds", 300, 1, 24 * 3600),
        s.bool("gzip", false));
    s.done();
    return config;
  }
}
