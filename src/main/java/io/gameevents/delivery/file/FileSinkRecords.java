package io.gameevents.delivery.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gameevents.delivery.StoredRecords;
import io.gameevents.util.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads back the ids of the records in a file sink's files (also the spool's segments, which are file-sink files).
 * Only this sink's own files: {@code YYYY/MM/DD/HH/<stream>-*.ndjson[.gz]}, in progress or published, regular
 * files only (never a link), under {@code delivery.file.directory}; nothing else in that tree is read.
 */
public final class FileSinkRecords implements StoredRecords {

  private static final Logger log = LoggerFactory.getLogger(FileSinkRecords.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Path root;
  private final String stream;

  public FileSinkRecords(FileSinkConfig config) {
    this.root = Path.of(config.directory());
    this.stream = config.stream();
  }

  @Override
  public long forEachSince(long sinceMillis, Visitor visitor) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root, 5)) {
      files = walk.filter(this::isRecordFile).filter(PrivateFiles::isRegularFile).toList();
    }
    long visited = 0;
    for (Path file : files) {
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (modified >= sinceMillis) {
        visited += read(file, modified, visitor);
      }
    }
    return visited;
  }

  /** A file of this sink's layout: four directory levels (hour) below the root, named after the stream. */
  private boolean isRecordFile(Path file) {
    if (file.getNameCount() != root.getNameCount() + 5) {
      return false;
    }
    String name = file.getFileName().toString();
    if (name.startsWith(".") && name.endsWith(FileSink.IN_PROGRESS_SUFFIX)) {
      name = name.substring(1, name.length() - FileSink.IN_PROGRESS_SUFFIX.length());
    }
    return name.startsWith(stream + "-") && (name.endsWith(".ndjson") || name.endsWith(".ndjson.gz"));
  }

  /**
   * The records of one file, as a sequence of JSON objects (one a line): only the top-level {@code app_id} and
   * {@code event_id} are looked at, the rest is skipped. A file that cannot be read to its end is reported and
   * what was read of it kept (start-up repaired torn tails before this runs).
   */
  private static long read(Path file, long modified, Visitor visitor) throws IOException {
    long visited = 0;
    try (InputStream bytes = open(file); JsonParser json = JSON.createParser(bytes)) {
      while (json.nextToken() == JsonToken.START_OBJECT) {
        String appId = null;
        String eventId = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (value == JsonToken.VALUE_STRING && field.equals("app_id")) {
            appId = json.getText();
          } else if (value == JsonToken.VALUE_STRING && field.equals("event_id")) {
            eventId = json.getText();
          } else {
            json.skipChildren();
          }
        }
        if (appId != null && eventId != null) {
          visitor.visit(appId, eventId, modified);
          visited++;
        }
      }
    } catch (IOException e) {
      log.warn("file sink: cannot read {} to its end ({}); its ids read so far are kept", file, e.toString());
    }
    return visited;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    return file.getFileName().toString().contains(".gz") ? new GZIPInputStream(in, 64 * 1024) : in;
  }
}
