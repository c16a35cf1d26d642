package io.gameevents.forward;

import io.gameevents.config.SpoolConfig;
import io.gameevents.delivery.RetryPolicy;
import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkHealth;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.WriteResult;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An erased subject's spooled records are never forwarded, across a restart; everyone else's are, byte for byte. */
class SpoolStoreTest {

  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final Subject ALICE = new Subject("game-a", Subject.Kind.PLAYER, "alice");

  @TempDir
  Path root;
  private Vertx vertx;
  private final List<String> forwarded = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static String record(String player, int n) {
    return new JsonObject().put("event_id", "e-" + n).put("player_id", player).put("app_id", "game-a")
        .put("properties", new JsonObject().put("n", n)).encode();
  }

  /** The remote sink: keeps what it is sent. */
  private final Sink remote = new Sink() {
    @Override
    public SinkLimits limits() {
      return new SinkLimits(2, 1 << 20, 1 << 20); // two records a call: the erased ones span several chunks
    }

    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
      records.forEach(r -> forwarded.add(new String(r, StandardCharsets.UTF_8)));
      return Future.succeededFuture(WriteResult.allDelivered(records.size()));
    }

    @Override
    public SinkHealth health() {
      return SinkHealth.ready("test");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  };

  @Test
  void anErasedSubjectsSpooledRecordsAreDroppedAtForwardTimeEvenAfterARestart() throws Exception {
    SpoolConfig config = new SpoolConfig(root.resolve("spool").toString(), 1L << 30, 0, 24, 1 << 20, 1, 1);
    Instant opened = Instant.now().minus(1, ChronoUnit.MINUTES);
    List<String> records = List.of(record("bob", 1), record("alice", 2), record("alice", 3), record("carol", 4),
        record("alice", 5), record("bob", 6));
    Path segment = Path.of(config.directory())
        .resolve("2026/12/01/10/spool-" + NAME_TIME.format(opened) + "-x.ndjson");
    Files.createDirectories(segment.getParent());
    Files.writeString(segment, String.join("\n", records) + "\n");

    StoreReceipt receipt;
    try (Spool spool = Spool.open(config, new SimpleMeterRegistry())) {
      receipt = new SpoolStore(spool, Clock.systemUTC()).erase(ALICE);
    }
    assertThat(receipt.store()).isEqualTo("spool");
    assertThat(receipt.recordsRemoved()).isEqualTo(3);
    assertThat(receipt.filesRewritten()).isZero();
    assertThat(Files.readString(Path.of(config.directory()).resolve(SpoolErasures.FILE_NAME)))
        .as("a keyed hash, never the id").doesNotContain("alice");

    // a restart: the list is read back before anything is forwarded
    try (Spool spool = Spool.open(config, new SimpleMeterRegistry())) {
      ForwarderVerticle forwarder = new ForwarderVerticle(new ForwarderVerticle.Context(spool,
          () -> new RetryingWriter(vertx, remote, "remote", RetryPolicy.ONE_ATTEMPT, new SimpleMeterRegistry()),
          1, 1, 60_000), 0);
      vertx.deployVerticle(forwarder).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(segment));

      assertThat(forwarded).containsExactly(record("bob", 1), record("carol", 4), record("bob", 6));
    }
  }

  @Test
  void aSegmentOpenedAfterTheErasureIsForwardedWhole() throws Exception {
    Path spoolRoot = root.resolve("spool");
    Files.createDirectories(spoolRoot);
    SpoolErasures erasures = SpoolErasures.open(spoolRoot);
    long erasedAt = Instant.now().minus(1, ChronoUnit.HOURS).toEpochMilli();
    erasures.add(ALICE, erasedAt, 0);
    List<byte[]> records = List.of(record("alice", 1).getBytes(StandardCharsets.UTF_8),
        record("bob", 2).getBytes(StandardCharsets.UTF_8));

    assertThat(erasures.forwardable(records, erasedAt - 60_000)).hasSize(1);
    assertThat(erasures.forwardable(records, erasedAt + 60_000)).as("opted in again since").isSameAs(records);
  }
}
