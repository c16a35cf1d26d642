package io.gameevents.replay;

import io.gameevents.support.RefusedRecords;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's {@code replay} command against a running service: it reads a refused lake written here in the
 * contract's line format (plain and gzip files, closed and in progress), selects by time and type, and prints a
 * summary by outcome and reason. The service runs a custom purchase schema that takes a currency in any case.
 */
class ReplayCommandTest extends ServiceTestBase {

  @TempDir
  static Path schemas;
  @TempDir
  Path lake;

  private final Instant refusedAt = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

  @Override
  protected JsonObject configure(JsonObject config) {
    try (var builtIn = getClass().getClassLoader().getResourceAsStream("schemas/purchase.v1.json")) {
      Files.writeString(schemas.resolve("purchase.v1.json"), new String(builtIn.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"currency\": { \"$ref\": \"common.v1.json#/$defs/currency\" }",
              "\"currency\": { \"type\": \"string\", \"pattern\": \"^[A-Za-z]{3}$\" }"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.put("validation", new JsonObject().put("schema_directory", schemas.toString()));
  }

  @Test
  void replaysTheSelectionFromEveryKindOfFileAndSummarizesByOutcomeAndReason() throws Exception {
    JsonObject plain = purchase("eur");
    JsonObject gzipped = purchase("eur");
    JsonObject inProgressGzip = purchase("usd");
    JsonObject stillInvalid = purchase("euro");
    JsonObject install = TestService.install("i-" + newId()).put("occurred_at", refusedAt.minusSeconds(5).toString())
        .put("platform", "toaster");
    JsonObject tooEarly = purchase("eur");
    Path hour = Files.createDirectories(lake.resolve("2026/11/22/10"));
    write(hour.resolve("refused-2026-11-22-10-00-00-a.ndjson"), false, refused(plain, refusedAt),
        refused(install, refusedAt), refused(tooEarly, refusedAt.minus(1, ChronoUnit.DAYS)));
    write(hour.resolve("refused-2026-11-22-10-05-00-b.ndjson.gz"), true, refused(gzipped, refusedAt));
    // in progress (the sink's hidden names): a gzip file whose last member is half written, and a plain file whose
    // last line is cut; and one of the sink's own files (.lock), which holds no records
    Files.writeString(lake.resolve(".lock"), "{\"refused_at\":\"2026-11-22T10:00:00Z\"}\n");
    writeCutGzip(hour.resolve(".refused-2026-11-22-10-10-00-c.ndjson.gz.inprogress"), refused(inProgressGzip, refusedAt));
    Files.writeString(hour.resolve(".refused-2026-11-22-10-15-00-d.ndjson.inprogress"), refused(stillInvalid, refusedAt).encode()
        + "\n" + refused(purchase("eur"), refusedAt).encode().substring(0, 40));

    Run run = replay("--lake", lake.toString(), "--since", refusedAt.minusSeconds(1).toString(), "--type", "purchase",
        "--url", "http://127.0.0.1:" + service.port, "--token", TestService.ADMIN_TOKEN, "--batch", "2");

    assertThat(run.exit).as(run.err).isEqualTo(ReplayCommand.STILL_REFUSED);
    assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id")).containsExactlyInAnyOrder(
        plain.getString("event_id"), gzipped.getString("event_id"), inProgressGzip.getString("event_id"));
    assertThat(service.sinkRecords()).allSatisfy(r -> assertThat(r.getString("replayed_at")).isNotNull());
    assertThat(run.out).startsWith("replayed 4 refused records from " + lake + " (4 selected of 6 read, 2 lines"
        + " unreadable (in-progress files))");
    assertThat(run.out).contains("  accepted     3\n").contains("  rejected     1\n")
        .contains("    invalid-event /currency");
    assertThat(run.err).contains("replay: 2 sent of ");

    Run again = replay("--lake", lake.toString(), "--since", refusedAt.minusSeconds(1).toString(), "--type",
        "purchase", "--url", "http://127.0.0.1:" + service.port, "--token", TestService.ADMIN_TOKEN);

    assertThat(again.out).contains("  duplicate    3\n").doesNotContain("accepted");
    assertThat(service.sinkRecords()).hasSize(3);
  }

  @Test
  void aGamesKeyIsRefusedByTheServiceAndEndsTheReplayWithExitCodeThree() throws Exception {
    write(Files.createDirectories(lake.resolve("2026/11/22/10")).resolve("refused-a.ndjson"), false,
        refused(purchase("eur"), refusedAt));

    Run run = replay("--lake", lake.toString(), "--url", "http://127.0.0.1:" + service.port, "--token", TestService.KEY);

    assertThat(run.exit).isEqualTo(ReplayCommand.SERVICE_REFUSED);
    assertThat(run.err).contains("the service answered 401");
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void aDryRunCountsTheSelectionAndSendsNothingAndTheTokenMayComeFromTheEnvironment() throws Exception {
    JsonObject first = purchase("eur");
    JsonObject second = purchase("eur");
    write(Files.createDirectories(lake.resolve("2026/11/22/10")).resolve("refused-a.ndjson"), false,
        refused(first, refusedAt), refused(second, refusedAt));

    Run dry = replay("--lake", lake.toString(), "--dry-run");

    assertThat(dry.exit).isEqualTo(ReplayCommand.OK);
    assertThat(dry.out).startsWith("selected 2 refused records from " + lake + " (2 selected of 2 read)\n"
        + "  selected     2\n");
    assertThat(service.sinkRecords()).isEmpty();

    Run fromEnvironment = replay(Map.of(ReplayCommand.TOKEN_VARIABLE, TestService.ADMIN_TOKEN), "--lake",
        lake.toString(), "--url", "http://127.0.0.1:" + service.port);

    assertThat(fromEnvironment.exit).as(fromEnvironment.err).isEqualTo(ReplayCommand.OK);
    assertThat(service.sinkRecords()).hasSize(2);
  }

  @Test
  void unusableArgumentsExitWithTwoAndTheUsage() {
    for (String[] args : List.of(new String[] {"--lake", lake.toString()},
        new String[] {"--lake", lake.toString(), "--url", "http://x", "--token", "t", "--since", "yesterday"},
        new String[] {"--lake", lake.resolve("none").toString(), "--url", "http://x", "--token", "t"},
        new String[] {"--lake", lake.toString(), "--url", "http://x", "--token", "t", "--batch", "0"})) {
      Run run = replay(args);
      assertThat(run.exit).as(Arrays.toString(args)).isEqualTo(ReplayCommand.USAGE_ERROR);
      assertThat(run.err).startsWith("game-events replay: ");
    }
  }

  private JsonObject purchase(String currency) {
    return RefusedRecords.lowerCasePurchase("p-" + newId(), refusedAt.minusSeconds(5), "2.4.1")
        .put("currency", currency);
  }

  private static JsonObject refused(JsonObject event, Instant at) {
    return RefusedRecords.of(at, "dev", event, "/currency", "currency codes are upper case");
  }

  private static void write(Path file, boolean gzip, JsonObject... records) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonObject record : records) {
      text.append(record.encode()).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(file, gzip ? gzip(bytes) : bytes);
  }

  /** One whole gzip member with {@code complete}, then half of a second member. */
  private static void writeCutGzip(Path file, JsonObject complete) throws IOException {
    byte[] first = gzip((complete.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    byte[] second = gzip((complete.copy().put("event_id", "cut").encode() + "\n").getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    out.write(second, 0, second.length / 2);
    Files.write(file, out.toByteArray());
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private record Run(int exit, String out, String err) {
  }

  private static Run replay(String... args) {
    return replay(Map.of(), args);
  }

  private static Run replay(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ReplayCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), seconds -> { });
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
