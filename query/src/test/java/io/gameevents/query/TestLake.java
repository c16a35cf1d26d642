package io.gameevents.query;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** Writes record files the way the file sink lays them out, with records in the service's column order. */
final class TestLake {

  static final String HOUR = "2026/11/24/10";

  private final Path root;

  TestLake(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  static String install(String eventId, String playerId, String platform, String receivedAt) {
    return record(eventId, "install", playerId, platform, receivedAt, "null", "null", "null", "null");
  }

  static String purchase(String eventId, String playerId, long amountMicros, String currency, String receivedAt) {
    return record(eventId, "purchase", playerId, "android", receivedAt, "\"gems_500\"", "1",
        Long.toString(amountMicros), "\"" + currency + "\"");
  }

  private static String record(String eventId, String type, String playerId, String platform, String receivedAt,
                               String productId, String quantity, String amountMicros, String currency) {
    String raw = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\"}";
    return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"schema_version\":1,"
        + "\"occurred_at\":\"2026-11-24T09:58:00.000Z\",\"client_occurred_at\":\"2026-11-24T10:58:00+01:00\","
        + "\"received_at\":\"" + receivedAt + "\",\"player_id\":\"" + playerId + "\",\"app_id\":\"com.game.test\","
        + "\"platform\":\"" + platform + "\",\"product_id\":" + productId + ",\"quantity\":" + quantity
        + ",\"amount_micros\":" + amountMicros + ",\"currency\":" + currency
        + ",\"properties\":{\"campaign\":\"winter\"},\"raw_payload\":" + raw + "}";
  }

  /** A sealed file: {@code <stream>-<time>-<uuid>.ndjson}. */
  Path sealed(List<String> records) throws IOException {
    return write(name() + ".ndjson", lines(records));
  }

  Path sealedGzip(List<String> records) throws IOException {
    return write(name() + ".ndjson.gz", gzip(lines(records)));
  }

  /** A file the sink is still writing: {@code .<name>.inprogress}, optionally ending in a torn line. */
  Path inProgress(List<String> records, String tornTail) throws IOException {
    return write("." + name() + ".ndjson.inprogress", (lines(records) + tornTail).getBytes(StandardCharsets.UTF_8));
  }

  /** One gzip member per commit, as the sink writes them; the last one cut short when {@code tornMember}. */
  Path inProgressGzip(List<String> committed, List<String> tornMember) throws IOException {
    byte[] whole = gzip(lines(committed));
    byte[] torn = gzip(lines(tornMember));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(whole);
    out.write(torn, 0, torn.length / 2);
    return write("." + name() + ".ndjson.gz.inprogress", out.toByteArray());
  }

  Path other(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private Path write(String fileName, String text) throws IOException {
    return write(fileName, text.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String fileName, byte[] bytes) throws IOException {
    Path directory = root.resolve(HOUR);
    Files.createDirectories(directory);
    return Files.write(directory.resolve(fileName), bytes, StandardOpenOption.CREATE_NEW);
  }

  private static String name() {
    return "game-events-2026-11-24-10-00-00-" + UUID.randomUUID();
  }

  private static String lines(List<String> records) {
    StringBuilder text = new StringBuilder();
    records.forEach(record -> text.append(record).append('\n'));
    return text.toString();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
