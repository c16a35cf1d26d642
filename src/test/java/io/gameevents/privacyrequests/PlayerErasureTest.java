package io.gameevents.privacyrequests;

import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseDouble.Outage;
import io.gameevents.support.RefusedRecords;
import io.gameevents.support.SseStream;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 22's erasure end to end, on running services: a player with events in every store this node keeps is erased
 * through {@code POST /v1/privacy/requests}; the report completes with a receipt line per store, nothing of theirs is
 * left, and everyone else's records are all still there, byte for byte. Two services, because a node has a lake (file
 * sink) or a spool (Firehose), not both.
 *
 * <p>The DuckDB views live in the query module (its own artifact, which this one can't reach); the lake files they
 * read are checked here directly, line by line.
 */
class PlayerErasureTest {

  private Vertx vertx;
  private TestService service;
  private FirehoseDouble firehose;
  /** Unique per run, so a match on the raw text can't be anyone else's. */
  private final String alice = "alice-" + newId();
  private final String bob = "bob-" + newId();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (service != null) {
      service.stop().await(60, SECONDS);
    }
    if (firehose != null) {
      firehose.close().await(60, SECONDS);
    }
    vertx.close().await(60, SECONDS);
  }

  @Test
  void aPlayerInSealedAndInProgressFilesTheRefusedTreeAndTheDebuggerIsErasedAndNobodyElseLosesAByte()
      throws Exception {
    // 1,024 bytes a file: the first batch fills a file (sealed within a second by the sink's own rotation), the
    // next two small events stay in the file in progress
    service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").getJsonObject("file").put("rotate_bytes", 1024);
      return c;
    }).await(60, SECONDS);
    Path lake = service.dataDir.resolve("events");
    assertThat(send("/v1/batch", batch(alice, bob, alice, bob, "carol")).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> files(lake).stream().noneMatch(PlayerErasureTest::inProgress));
    for (String player : List.of(alice, bob)) {
      assertThat(send("/v1/events", install(newId()).put("player_id", player)).statusCode()).isEqualTo(200);
    }
    for (String player : List.of(alice, bob)) {
      HttpResponse<Buffer> refused = send("/v1/events", RefusedRecords.lowerCasePurchase(newId(),
          Instant.now().minusSeconds(60), "2.4.1").put("player_id", player));
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getBoolean("kept")).as(refused.bodyAsString()).isTrue();
    }
    Path refusedTree = service.dataDir.resolve("refused");
    Map<Boolean, List<Path>> lakeFiles = files(lake).stream()
        .collect(Collectors.partitioningBy(PlayerErasureTest::inProgress));
    assertThat(lakeFiles.get(false)).as("sealed files").anyMatch(f -> text(f).contains(alice));
    assertThat(lakeFiles.get(true)).as("files in progress").anyMatch(f -> text(f).contains(alice));
    assertThat(lines(refusedTree)).anyMatch(l -> l.contains(alice));
    List<String> othersInLake = linesWithout(lake, alice);
    List<String> othersRefused = linesWithout(refusedTree, alice);
    assertThat(othersInLake).hasSize(4);
    assertThat(othersRefused).hasSize(1);

    JsonObject report = erase("erase-" + newId());

    assertThat(receipts(report)).containsOnlyKeys("lake", "refused", "debugger", "dedup-journal");
    assertThat(receipts(report).get("lake").getLong("records_removed")).isEqualTo(3);
    assertThat(receipts(report).get("refused").getLong("records_removed")).isEqualTo(1);
    assertThat(receipts(report).get("debugger").getLong("records_removed")).isPositive();
    assertThat(lines(lake)).noneMatch(l -> l.contains(alice)).containsExactlyInAnyOrderElementsOf(othersInLake);
    assertThat(lines(refusedTree)).noneMatch(l -> l.contains(alice))
        .containsExactlyInAnyOrderElementsOf(othersRefused);
    assertThat(service.sinkRecords()).extracting(r -> r.getString("player_id")).doesNotContain(alice);
    // a debugger stream opened now replays the buffer: everyone's entries but hers
    try (SseStream stream = SseStream.open(vertx, service.port, "/debugger/events", TestService.ADMIN_TOKEN)
        .await(60, SECONDS)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.entries().size() >= 5);
      assertThat(stream.entries()).hasSize(5); // bob's 3 and 1 refused, carol's 1
      assertThat(stream.entries()).allSatisfy(entry -> assertThat(entry.encode()).doesNotContain(alice));
    }
  }

  @Test
  void aPlayerInTheSpoolWhileFirehoseIsDownIsNeverForwardedAndEveryoneElseIsByteForByte() throws Exception {
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("sink", "firehose")
          .put("firehose", new JsonObject().put("stream_name", FirehoseDouble.STREAM)
              .put("endpoint_override", firehose.endpoint()).put("max_concurrent_calls", 1)
              .put("retry_base_ms", 10).put("retry_max_ms", 500).put("describe_interval_ms", 1000))
          .put("circuit_breaker", new JsonObject().put("open_after_ms", 1000));
      return c;
    }, FirehoseDouble.sinks()).await(60, SECONDS);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS);
    List<String> othersIds = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      JsonObject batch = batch(alice, bob, alice, "carol");
      assertThat(send("/v1/batch", batch).statusCode()).isEqualTo(200);
      batch.getJsonArray("events").stream().map(JsonObject.class::cast)
          .filter(e -> !alice.equals(e.getString("player_id"))).forEach(e -> othersIds.add(e.getString("event_id")));
    }
    List<String> othersSpooled = linesWithout(service.dataDir.resolve("spool"), alice).stream()
        .filter(l -> othersIds.stream().anyMatch(l::contains)).toList();
    assertThat(othersSpooled).hasSize(6);
    assertThat(firehose.records()).isEmpty();

    JsonObject report = erase("erase-" + newId());

    assertThat(receipts(report)).containsKeys("spool", "debugger", "dedup-journal");
    assertThat(receipts(report).get("spool").getLong("records_removed")).isEqualTo(6);
    firehose.outage(Outage.NONE).await(60, SECONDS);
    await().atMost(Duration.ofSeconds(60))
        .until(() -> othersIds.stream().allMatch(id -> firehose.records().stream().anyMatch(r -> r.contains(id))));
    // sent by the forwarder, or not at all: one more spool read after the last of the others
    List<String> forwarded = firehose.records().stream().map(r -> r.endsWith("\n") ? r.substring(0, r.length() - 1) : r)
        .toList();
    assertThat(forwarded).noneMatch(r -> r.contains(alice)).containsExactlyInAnyOrderElementsOf(othersSpooled);
  }

  // ---- helpers ----

  private HttpResponse<Buffer> send(String path, JsonObject body) throws Exception {
    return service.postJson(path, body).await(60, SECONDS);
  }

  private static JsonObject batch(String... players) {
    JsonArray events = new JsonArray();
    for (String player : players) {
      // a property long enough that one batch fills a 1,024-byte file
      events.add(install(newId()).put("player_id", player).put("properties",
          new JsonObject().put("note", "x".repeat(120))));
    }
    return new JsonObject().put("events", events);
  }

  /** Posts the erasure and waits for its report to say completed. */
  private JsonObject erase(String requestId) throws Exception {
    HttpResponse<Buffer> accepted = service.post("/v1/privacy/requests", TestService.ADMIN_TOKEN)
        .sendBuffer(new JsonObject().put("type", "erase").put("app_id", TestService.APP).put("player_id", alice)
            .put("request_id", requestId).toBuffer()).await(60, SECONDS);
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(report(requestId).getString("state")));
    JsonObject report = report(requestId);
    assertThat(report.encode()).doesNotContain(alice);
    return report;
  }

  private JsonObject report(String requestId) throws Exception {
    return service.client.get("/v1/privacy/requests/" + requestId)
        .putHeader("Authorization", "Bearer " + TestService.ADMIN_TOKEN).send().await(60, SECONDS).bodyAsJsonObject();
  }

  /** The one node's receipt lines, by store. */
  private static Map<String, JsonObject> receipts(JsonObject report) {
    assertThat(report.getJsonArray("nodes")).hasSize(1);
    JsonObject node = report.getJsonArray("nodes").getJsonObject(0);
    assertThat(node.getString("state")).isEqualTo("done");
    return node.getJsonArray("stores").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(r -> r.getString("store"), Function.identity()));
  }

  /** The sink's file in progress is a dot-file ({@code .<name>.inprogress}) until it is sealed. */
  private static boolean inProgress(Path file) {
    return file.getFileName().toString().startsWith(".");
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String text(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (file.getFileName().toString().contains(".gz")) {
        bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every line of every file under the root, as its bytes (UTF-8). */
  private static List<String> lines(Path root) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : files(root)) {
      for (String line : text(file).split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  private static List<String> linesWithout(Path root, String player) throws IOException {
    return lines(root).stream().filter(l -> !l.contains(player)).toList();
  }
}
