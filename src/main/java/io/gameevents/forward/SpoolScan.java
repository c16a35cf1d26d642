package io.gameevents.forward;

import io.gameevents.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a walk of the spool directory found (blocking to make). Published segments are the file
 * sink's closed files ({@code spool-<yyyy-MM-dd-HH-mm-ss>-<uuid>.ndjson}, oldest first); open
 * ones ({@code .<name>.inprogress}) count for the figures but are not forwarded until closed.
 */
record SpoolScan(List<Segment> segments, int openSegments, long totalBytes, long unforwardedBytes,
                 long oldestSegmentMillis) {

  /**
   * Oldest first: by last write (one delivery instance finishes a segment before it opens the next),
   * then by name (whose time has only whole seconds).
   */
  private static final Comparator<Segment> OLDEST_FIRST = Comparator.comparingLong(Segment::lastWriteMillis)
      .thenComparing(Segment::name);

  private static final long EMPTY_DIRECTORY_AGE_MS = 2 * 3600 * 1000L;
  private static final DateTimeFormatter OPENED = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
  private static final int TIME_LENGTH = "yyyy-MM-dd-HH-mm-ss".length();

  /**
   * @param path      the segment file
   * @param size      its length in bytes
   * @param forwarded its checkpoint: bytes from the start the remote sink confirmed
   * @param published closed by the delivery stage, so it can be forwarded
   */
  record Segment(Path path, long size, long forwarded, boolean published, long openedMillis, long lastWriteMillis) {
    String name() {
      return path.getFileName().toString();
    }
  }

  static SpoolScan of(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return new SpoolScan(List.of(), 0, 0, 0, 0);
    }
    List<Segment> published = new ArrayList<>();
    long total = 0;
    long unforwarded = 0;
    long oldest = 0;
    int open = 0;
    for (Path file : files(root)) {
      String name = file.getFileName().toString();
      boolean inProgress = name.startsWith(".") && name.endsWith(".inprogress");
      boolean closed = name.startsWith(Spool.SEGMENT_PREFIX + "-") && name.endsWith(".ndjson");
      try {
        if (!inProgress && !closed) {
          if (name.endsWith(Checkpoint.SUFFIX) && !Files.exists(Checkpoint.segmentOf(file))) {
            Files.deleteIfExists(file); // its segment was deleted, then the process stopped
          }
          continue;
        }
        long size = Files.size(file);
        long forwarded = closed ? Math.min(size, Checkpoint.read(file)) : 0;
        long opened = openedMillis(inProgress ? name.substring(1) : name);
        open += inProgress ? 1 : 0;
        total += size;
        unforwarded += size - forwarded;
        if (size > forwarded && opened > 0 && (oldest == 0 || opened < oldest)) {
          oldest = opened;
        }
        if (closed) {
          published.add(new Segment(file, size, forwarded, true, opened, Files.getLastModifiedTime(file).toMillis()));
        }
      } catch (NoSuchFileException gone) {
        // forwarded and deleted (or published under its final name) while we looked
      }
    }
    published.sort(OLDEST_FIRST);
    return new SpoolScan(List.copyOf(published), open, total, unforwarded, oldest);
  }

  /**
   * Every file under root. Hour directories emptied by forwarding are removed once they are two
   * hours old: the delivery stage only ever opens segments in the current hour's directory.
   */
  private static List<Path> files(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        // not following links: a link in the spool is not a segment, nor a directory of them
        if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          if (PrivateFiles.isRegularFile(entry)) {
            found.add(entry);
          }
          continue;
        }
        List<Path> inside = files(entry);
        if (inside.isEmpty() && Files.getLastModifiedTime(entry).toMillis() < System.currentTimeMillis() - EMPTY_DIRECTORY_AGE_MS) {
          try {
            Files.deleteIfExists(entry);
          } catch (java.nio.file.DirectoryNotEmptyException filledMeanwhile) {
            // keep it
          }
        }
        found.addAll(inside);
      }
    } catch (NoSuchFileException gone) {
      // removed while we looked
    }
    return found;
  }

  /** The open time in the segment's name (UTC), or 0 if the name has none. */
  static long openedMillis(String name) {
    int start = Spool.SEGMENT_PREFIX.length() + 1;
    if (name.length() < start + TIME_LENGTH) {
      return 0;
    }
    try {
      return LocalDateTime.parse(name.substring(start, start + TIME_LENGTH), OPENED).toInstant(ZoneOffset.UTC)
          .toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
