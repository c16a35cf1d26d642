package io.gameevents.query;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The file sink's record files under the lake directory: {@code YYYY/MM/DD/HH/<stream>-...ndjson[.gz]},
 * sealed or still being written ({@code .<name>.inprogress}). Anything else there (the sink's .lock and
 * .probe files, a checkpoint, a README) is not a record file and is left out.
 *
 * <p>A gzip file being written may end in a partial gzip member, which DuckDB refuses as a whole file.
 * Those files are inflated here, up to the last byte that decompresses, into a scratch directory that
 * {@link #close} deletes; the torn last line that may leave is skipped by the view like any other.
 */
final class Lake implements AutoCloseable {

  private static final Pattern RECORD_FILE = Pattern.compile("(\\.)?[A-Za-z0-9._-]+\\.ndjson(\\.gz)?(\\.inprogress)?");

  private final List<Path> plain = new ArrayList<>();
  private final List<Path> gzip = new ArrayList<>();
  private Path scratch;

  private Lake() {
  }

  /** A missing directory is an empty lake: nothing has been sent yet. */
  static Lake open(Path directory) throws IOException {
    Lake lake = new Lake();
    if (!Files.isDirectory(directory)) {
      return lake;
    }
    List<Path> files;
    // the real path: a lake that is a symbolic link (data/events -> /mnt/...) is walked, not just listed
    try (Stream<Path> walk = Files.walk(directory.toRealPath())) {
      files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
    }
    try {
      for (Path file : files) {
        lake.add(file);
      }
    } catch (IOException | RuntimeException e) {
      lake.close();
      throw e;
    }
    return lake;
  }

  /** Uncompressed NDJSON files, in-progress ones and inflated in-progress gzip files included. */
  List<Path> plainFiles() {
    return List.copyOf(plain);
  }

  /** Sealed gzip files: complete, since the sink renames a file only after its last member is written. */
  List<Path> gzipFiles() {
    return List.copyOf(gzip);
  }

  private void add(Path file) throws IOException {
    Matcher name = RECORD_FILE.matcher(file.getFileName().toString());
    if (!name.matches() || (name.group(1) == null) != (name.group(3) == null)) {
      return; // in-progress files are exactly the hidden ones
    }
    boolean compressed = name.group(2) != null;
    boolean inProgress = name.group(3) != null;
    if (!compressed) {
      plain.add(file);
    } else if (!inProgress) {
      gzip.add(file);
    } else {
      Path inflated = inflateReadable(file);
      if (inflated != null) {
        plain.add(inflated);
      }
    }
  }

  /** Null when the file was renamed (sealed) meanwhile: the walk will not see it under its new name. */
  private Path inflateReadable(Path file) throws IOException {
    if (scratch == null) {
      scratch = Files.createTempDirectory("game-events-query-");
    }
    Path target = scratch.resolve(plain.size() + gzip.size() + "-" + file.getFileName() + ".ndjson");
    try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(target)) {
      try (GZIPInputStream gunzip = new GZIPInputStream(in, 64 * 1024)) {
        gunzip.transferTo(out);
      } catch (EOFException | ZipException tornLastMember) {
        // everything before the torn member has been written out; that is what was acknowledged
      }
    } catch (java.nio.file.NoSuchFileException sealedMeanwhile) {
      Files.deleteIfExists(target);
      return null;
    }
    return target;
  }

  @Override
  public void close() throws IOException {
    if (scratch == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(scratch)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
    scratch = null;
  }
}
