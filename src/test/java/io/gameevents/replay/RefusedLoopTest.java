package io.gameevents.replay;

import io.gameevents.support.RefusedRecords;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 23's whole loop, both halves as they are: an edge with the built-in schemas refuses a purchase for its
 * lower-case currency and keeps it (gzip, so the record sits in the refused sink's in-progress gzip file); the
 * {@code replay} command reads that tree, as the edge wrote it, into a second service whose custom purchase schema
 * takes a currency in any case. Nothing here writes a refused line by hand: the writer and the reader must agree.
 */
class RefusedLoopTest extends ServiceTestBase {

  @TempDir
  static Path schemas;

  /** The edge that refuses: built-in schemas, gzip files, on a Vertx of its own (its pipeline's addresses apart). */
  private Vertx edgeVertx;
  private TestService edge;

  @Override
  protected JsonObject configure(JsonObject config) {
    try (var builtIn = getClass().getClassLoader().getResourceAsStream("schemas/purchase.v1.json")) {
      String schema = new String(builtIn.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"currency\": { \"$ref\": \"common.v1.json#/$defs/currency\" }",
              "\"currency\": { \"type\": \"string\", \"pattern\": \"^[A-Za-z]{3}$\" }");
      assertThat(schema).contains("^[A-Za-z]{3}$");
      Files.writeString(schemas.resolve("purchase.v1.json"), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.put("validation", new JsonObject().put("schema_directory", schemas.toString()));
  }

  @AfterEach
  void stopEdge() throws Exception {
    if (edge != null) {
      edge.stop().await(60, SECONDS);
    }
    if (edgeVertx != null) {
      edgeVertx.close().await(60, SECONDS);
    }
  }

  @Test
  void aPurchaseRefusedAndKeptByOneServiceIsReplayedIntoAnotherOnceWithItsContextAndTime() throws Exception {
    edgeVertx = Vertx.vertx();
    edge = TestService.start(edgeVertx, c -> {
      c.getJsonObject("delivery").getJsonObject("file").put("gzip", true);
      return c;
    }).await(60, SECONDS);
    JsonObject event = RefusedRecords.lowerCasePurchase("p-" + newId(),
        Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS), "2.4.1");

    HttpResponse<Buffer> refused = edge.post("/v1/events/purchase").sendBuffer(event.toBuffer()).await(60, SECONDS);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getBoolean("kept")).isTrue();
    Path lake = edge.dataDir.resolve("refused");
    assertThat(recordFiles(lake)).singleElement().satisfies(file ->
        assertThat(file.getFileName().toString()).startsWith(".refused-").endsWith(".ndjson.gz.inprogress"));
    List<JsonObject> kept = edge.refusedRecords();
    assertThat(kept).hasSize(1);
    Instant refusedAt = Instant.parse(kept.get(0).getString("refused_at"));
    Instant beforeReplay = Instant.now();

    Run first = replay(lake);

    assertThat(first.exit).as(first.err).isEqualTo(ReplayCommand.OK);
    assertThat(first.out).startsWith("replayed 1 refused records from " + lake + " (1 selected of 1 read)")
        .contains("  accepted     1\n");
    List<JsonObject> stored = service.sinkRecords();
    assertThat(stored).hasSize(1);
    JsonObject record = stored.get(0);
    assertThat(record.getString("event_id")).isEqualTo(event.getString("event_id"));
    assertThat(record.getString("currency")).isEqualTo("eur");
    assertThat(record.getString("app_version")).isEqualTo("2.4.1");
    assertThat(record.getString("os")).isEqualTo("Android");
    assertThat(record.getJsonObject("raw_payload")).isEqualTo(event);
    assertThat(Instant.parse(record.getString("received_at"))).isEqualTo(refusedAt);
    assertThat(Instant.parse(record.getString("replayed_at")))
        .isBetween(beforeReplay.truncatedTo(ChronoUnit.MILLIS), Instant.now());

    // the edge stops: its file is published under its sealed name, and read again from there
    edge.stop().await(60, SECONDS);
    edge = null;
    assertThat(recordFiles(lake)).singleElement().satisfies(file ->
        assertThat(file.getFileName().toString()).startsWith("refused-").endsWith(".ndjson.gz"));

    Run second = replay(lake);

    assertThat(second.exit).as(second.err).isEqualTo(ReplayCommand.OK);
    assertThat(second.out).contains("  duplicate    1\n").doesNotContain("accepted");
    assertThat(service.sinkRecords()).hasSize(1);
  }

  private Run replay(Path lake) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ReplayCommand.run(new String[] {"--lake", lake.toString(), "--type", "purchase",
            "--url", "http://127.0.0.1:" + service.port}, Map.of(ReplayCommand.TOKEN_VARIABLE, TestService.ADMIN_TOKEN),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        seconds -> { });
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<Path> recordFiles(Path lake) throws IOException {
    try (Stream<Path> walk = Files.walk(lake)) {
      return walk.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().contains(".ndjson")).toList();
    }
  }

  private record Run(int exit, String out, String err) {
  }
}
