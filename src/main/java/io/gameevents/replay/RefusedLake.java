package io.gameevents.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a refused lake ({@code <dir>/YYYY/MM/DD/HH/refused-*.ndjson[.gz]}), sealed files and in-progress ones alike:
 * an in-progress file's last line may be cut short (plain), or its gzip stream may end mid-member; what was written
 * whole is read, and the rest counted as unreadable rather than failing the replay.
 */
final class RefusedLake {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What reading found: records read, those selected, and lines that could not be read as a record. */
  static final class Counts {
    long read;
    long selected;
    long unreadable;
  }

  private RefusedLake() {
  }

  /**
   * A record file, sealed ({@code refused-...ndjson[.gz]}) or in progress ({@code .refused-...ndjson[.gz].inprogress},
   * the file sink's hidden name until rotation); not the sink's lock or probe files.
   */
  private static final Pattern RECORD_FILE =
      Pattern.compile("(\\.)?[A-Za-z0-9._-]+\\.ndjson(\\.gz)?(\\.inprogress)?");

  /** Every refused file under {@code root}, in path order (so, by hour). */
  static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root.toRealPath())) {
      return walk.filter(Files::isRegularFile).filter(RefusedLake::isRecordFile)
          .sorted(Comparator.comparing(Path::toString)).toList();
    }
  }

  private static boolean isRecordFile(Path file) {
    Matcher name = RECORD_FILE.matcher(file.getFileName().toString());
    return name.matches() && (name.group(1) == null) == (name.group(3) == null); // hidden exactly when in progress
  }

  private static boolean compressed(Path file) {
    return file.getFileName().toString().contains(".ndjson.gz");
  }

  /**
   * Hands each record of {@code file} that {@code selection} takes to {@code sink}, counting in {@code counts}. A
   * file is read whole before its lines are split (files are rotated by size, so bounded): a gzip stream cut short
   * then still gives every line of its whole members.
   */
  static void read(Path file, Selection selection, Counts counts, Consumer<ObjectNode> sink) throws IOException {
    Contents contents = contents(file);
    String text = new String(contents.bytes(), StandardCharsets.UTF_8);
    if (contents.cutShort()) {
      counts.unreadable++; // the line being written when the stream was cut: whatever of it came out is dropped
      text = text.substring(0, text.lastIndexOf('\n') + 1);
    }
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode record = parse(line);
      if (record == null) {
        counts.unreadable++; // a plain in-progress file's last line, still being written
        continue;
      }
      counts.read++;
      if (selection.takes(record)) {
        counts.selected++;
        sink.accept(record);
      }
    }
  }

  /** @param cutShort a gzip stream ended mid-member (an in-progress file): {@code bytes} holds what came before */
  private record Contents(byte[] bytes, boolean cutShort) {
  }

  private static Contents contents(Path file) throws IOException {
    if (!compressed(file)) {
      return new Contents(Files.readAllBytes(file), false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), buffer.length)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (EOFException | ZipException cutShort) {
      return new Contents(out.toByteArray(), true);
    }
    return new Contents(out.toByteArray(), false);
  }

  private static ObjectNode parse(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node instanceof ObjectNode object && object.path("refused_at").isTextual() ? object : null;
    } catch (IOException e) {
      return null; // a plain in-progress file's last line, cut short
    }
  }

  /**
   * Which records to replay: refused in [since, until), of these event types and this app, when given.
   *
   * @param types empty for every type
   */
  record Selection(Instant since, Instant until, List<String> types, String appId) {

    boolean takes(ObjectNode record) {
      Instant refusedAt;
      try {
        refusedAt = Instant.parse(record.get("refused_at").textValue());
      } catch (DateTimeParseException e) {
        return false;
      }
      if ((since != null && refusedAt.isBefore(since)) || (until != null && !refusedAt.isBefore(until))) {
        return false;
      }
      if (!types.isEmpty() && !types.contains(record.path("event_type").asText(null))) {
        return false;
      }
      return appId == null || appId.equals(record.path("app_id").asText(null));
    }

    static Selection all() {
      return new Selection(null, null, new ArrayList<>(), null);
    }
  }
}
