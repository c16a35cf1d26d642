package io.gameevents.http.refused;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.config.RefusedConfig;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.privacy.Suppressions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of keeping one refused event: its record's encoding (CPU on the event loop), and the whole keep of a
 * single refused event through the file sink (the record written and fsynced, as a single 400 waits for it).
 * Run with {@code bench/jmh.sh RefusedKeepBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RefusedKeepBenchmark {

  /** A purchase with context, as a game sends it (~450 bytes), refused for its lower-case currency. */
  private final RefusedRecord record = new RefusedRecord(Instant.parse("2026-12-07T14:03:11.482Z"),
      "4f1c2e8a9b7d6c5e3f2a1b0c9d8e7f6a", "unity-prod", "com.game.test", "purchase",
      "5a7e9c2b-4f6d-4b1a-8e3c-7d9f0a1b2c3d", 1, "2.4.0", "game-events-unity", "1.3.0", "invalid-event",
      new JsonArray().add(new JsonObject().put("pointer", "/currency").put("message", "currency codes are upper case: EUR")),
      ("{\"event_id\":\"5a7e9c2b-4f6d-4b1a-8e3c-7d9f0a1b2c3d\",\"event_type\":\"purchase\",\"schema_version\":1,"
          + "\"occurred_at\":\"2026-12-07T14:02:11.000Z\",\"player_id\":\"player_1\",\"app_id\":\"com.game.test\","
          + "\"platform\":\"ios\",\"product_id\":\"gems_pack_01\",\"quantity\":1,\"amount_micros\":4990000,"
          + "\"currency\":\"eur\",\"context\":{\"app_version\":\"2.4.0\",\"os\":\"iOS\",\"os_version\":\"17.2\","
          + "\"device_model\":\"iPhone15,2\",\"locale\":\"en-US\",\"sdk\":{\"name\":\"game-events-unity\","
          + "\"version\":\"1.3.0\"}}}").getBytes(StandardCharsets.UTF_8));

  private Vertx vertx;
  private Path dir;
  private RefusedStore.Writer writer;

  @Setup(Level.Trial)
  public void open() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("refused-bench");
    FileSinkConfig files = new FileSinkConfig(dir.toString(), FileSinkConfig.REFUSED_STREAM, 128L << 20, 300, false);
    RefusedConfig config = new RefusedConfig(true, new RateLimitConfig(1_000_000, 1_000_000), 1L << 40, 14, 65_536,
        10_000, 20);
    RefusedStore store = new RefusedStore(config, v -> new FileSink(v, files, Clock.systemUTC()), dir, 1,
        new SimpleMeterRegistry(), System::nanoTime, Suppressions.NONE);
    writer = store.writer(vertx);
    writer.start().await(60, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    writer.close().await(60, TimeUnit.SECONDS);
    vertx.close().await(60, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Benchmark
  public byte[] encode() {
    return record.encode(65_536);
  }

  @Benchmark
  public Boolean keepOneFsynced() throws Exception {
    return writer.keep(List.of(record.encode(65_536))).await(60, TimeUnit.SECONDS);
  }
}
