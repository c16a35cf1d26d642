package io.gameevents.delivery.file;

import io.gameevents.config.Section;

/**
 * The embedded sink: NDJSON files under {@code directory}/YYYY/MM/DD/HH/, rotated by size and age.
 *
 * @param refusedDirectory where events refused for their content are kept, in the same layout (stream
 *                         {@code refused}); see docs/refused-events.md
 */
public record FileSinkConfig(String directory, String stream, long rotateBytes, long rotateSeconds, boolean gzip,
                             String refusedDirectory) {

  /** The stream name of the refused tree's files. */
  public static final String REFUSED_STREAM = "refused";

  /** With the default refused directory. */
  public FileSinkConfig(String directory, String stream, long rotateBytes, long rotateSeconds, boolean gzip) {
    this(directory, stream, rotateBytes, rotateSeconds, gzip, besideEvents(directory));
  }

  /**
   * {@code refused} beside the events' directory ({@code data/refused} beside {@code data/events}): a node that
   * moves its events elsewhere moves its refused events with them.
   */
  static String besideEvents(String directory) {
    java.nio.file.Path events = java.nio.file.Path.of(directory);
    return events.getParent() == null ? "refused" : events.resolveSibling("refused").toString();
  }

  public static FileSinkConfig from(Section s) {
    String stream = s.string("stream", "game-events");
    if (!stream.matches("[A-Za-z0-9._-]{1,64}")) {
      throw s.invalid("stream", "may only contain letters, digits, '.', '_' and '-'");
    }
    String directory = s.string("directory", "data/events");
    FileSinkConfig config = new FileSinkConfig(
        directory,
        stream,
        s.longValue("rotate_bytes", 128L * 1024 * 1024, 1024, 16L * 1024 * 1024 * 1024),
        s.longValue("rotate_seconds", 300, 1, 24 * 3600),
        s.bool("gzip", false),
        s.string("refused_directory", besideEvents(directory)));
    if (config.refusedDirectory().equals(config.directory())) {
      throw s.invalid("refused_directory", "must not be delivery.file.directory: refused events are kept apart");
    }
    s.done();
    return config;
  }

  /** The same rotation and compression, writing the refused tree. */
  public FileSinkConfig refused() {
    return new FileSinkConfig(refusedDirectory, REFUSED_STREAM, rotateBytes, rotateSeconds, gzip, refusedDirectory);
  }
}
