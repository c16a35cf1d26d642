import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.UUID;

/**
 * Writes a file-sink lake of N records for bench/query-lake.sh: YYYY/MM/DD/HH/ directories, sealed
 * .ndjson files of 100,000 records and one in-progress file, 80 % installs and 20 % purchases in the
 * service's record format (same columns, order and value shapes as EventRecord), 1 % duplicate copies.
 * Usage: java bench/GenerateLake.java DIR [RECORDS]
 */
public final class GenerateLake {

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu/MM/dd/HH").withZone(ZoneOffset.UTC);
  private static final String[] PLATFORMS = {"ios", "android", "web", "steam", "switch"};
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY"};
  private static final int PER_FILE = 100_000;

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    long records = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    Random random = new Random(42);
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    long spacingMillis = 30L * 24 * 3600 * 1000 / Math.max(1, records); // a month of events
    OutputStream out = null;
    for (long i = 0; i < records; i++) {
      if (i % PER_FILE == 0) {
        if (out != null) {
          out.close();
        }
        Instant fileTime = start.plusMillis(i * spacingMillis);
        boolean last = i + PER_FILE >= records;
        String name = "game-events-" + fileTime.toString().replace(":", "-").substring(0, 19).replace('T', '-')
            + "-" + UUID.randomUUID() + ".ndjson";
        Path dir = Files.createDirectories(root.resolve(HOUR.format(fileTime)));
        out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(last ? "." + name + ".inprogress" : name)),
            1 << 20);
      }
      Instant occurred = start.plusMillis(i * spacingMillis);
      long eventNumber = random.nextInt(100) == 0 && i > 0 ? i - 1 : i; // 1 % are retried copies
      String line = record(random, eventNumber, occurred, occurred.plusMillis(250 + random.nextInt(2000)));
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    if (out != null) {
      out.close();
    }
  }

  private static String record(Random random, long number, Instant occurredAt, Instant receivedAt) {
    boolean purchase = number % 5 == 0;
    String eventId = new UUID(0x0f8a2c3e6f6e4f5bL, number).toString();
    String player = "player-" + (number * 7919 % 250_000);
    String platform = PLATFORMS[(int) (number % PLATFORMS.length)];
    String occurred = MILLIS.format(occurredAt);
    String type = purchase ? "purchase" : "install";
    String properties = purchase ? "{\"store\":\"google_play\"}"
        : "{\"campaign\":\"winter_sale\",\"device\":\"iPhone15,2\",\"os_version\":\"18.1\"}";
    String product = purchase ? "\"gems_500\"" : "null";
    String quantity = purchase ? "1" : "null";
    String amount = purchase ? Long.toString(990_000L + random.nextInt(5) * 1_000_000L) : "null";
    String currency = purchase ? "\"" + CURRENCIES[(int) (number % CURRENCIES.length)] + "\"" : "null";
    String raw = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"occurred_at\":\"" + occurred
        + "\",\"player_id\":\"" + player + "\",\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"" + platform + "\""
        + (purchase ? ",\"product_id\":" + product + ",\"quantity\":1,\"amount_micros\":" + amount + ",\"currency\":"
        + currency : "") + ",\"properties\":" + properties + "}";
    return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"schema_version\":1,"
        + "\"occurred_at\":\"" + occurred + "\",\"client_occurred_at\":\"" + occurred.replace(".000Z", "Z") + "\","
        + "\"received_at\":\"" + MILLIS.format(receivedAt) + "\",\"player_id\":\"" + player + "\","
        + "\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"" + platform + "\",\"product_id\":" + product
        + ",\"quantity\":" + quantity + ",\"amount_micros\":" + amount + ",\"currency\":" + currency
        + ",\"properties\":" + properties + ",\"raw_payload\":" + raw + "}";
  }
}
