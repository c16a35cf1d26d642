package io.gameevents.http.refused;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.config.RefusedConfig;
import io.gameevents.delivery.file.FileSink;
import io.gameevents.delivery.file.FileSinkConfig;
import io.gameevents.privacy.Suppressions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

class RefusedStoreTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(60, SECONDS);
  }

  private static RefusedConfig config(long maxBytes, int retentionDays) {
    return new RefusedConfig(true, new RateLimitConfig(1, 3), maxBytes, retentionDays, 1024, 10_000, 20);
  }

  private RefusedStore store(Path root, RefusedConfig config, AtomicLong nanos) {
    FileSinkConfig files = new FileSinkConfig(root.toString(), FileSinkConfig.REFUSED_STREAM, 1 << 20, 300, false);
    return new RefusedStore(config, v -> new FileSink(v, files, Clock.systemUTC()), root, 100,
        new SimpleMeterRegistry(), nanos::get, Suppressions.NONE);
  }

  @Test
  void filesPastTheRetentionAreDeletedAndTheRestMeasured(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("refused");
    Path old = root.resolve("2026/11/01/10/refused-2026-11-01-10-00-00-a.ndjson");
    Path recent = root.resolve("2026/12/07/10/refused-2026-12-07-10-00-00-b.ndjson");
    Files.createDirectories(old.getParent());
    Files.createDirectories(recent.getParent());
    Files.writeString(old, "{\"old\":1}\n");
    Files.writeString(recent, "{\"recent\":1}\n");
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(15))));
    Files.setLastModifiedTime(recent, FileTime.from(now.minus(Duration.ofDays(13))));
    RefusedStore store = store(root, config(1 << 20, 14), new AtomicLong());

    assertThat(store.sweep(now)).isEqualTo(1);

    assertThat(old).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void beyondTheTotalSizeNothingIsKept(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("refused");
    Files.createDirectories(root);
    // already 65,000 bytes of refused records: the next 600 do not fit 65,536
    Files.write(root.resolve("refused-2026-12-07-10-00-00-a.ndjson"), new byte[65_000]);
    RefusedStore store = store(root, config(65_536, 14), new AtomicLong());
    try (AutoCloseable opened = store.open(vertx)) {
      RefusedStore.Writer writer = store.writer(vertx);
      writer.start().await(60, SECONDS);

      boolean small = writer.keep(List.of("x".repeat(400).getBytes(StandardCharsets.UTF_8))).await(60, SECONDS);
      boolean big = writer.keep(List.of("y".repeat(600).getBytes(StandardCharsets.UTF_8))).await(60, SECONDS);

      assertThat(small).isTrue();
      assertThat(big).isFalse();
      writer.close().await(60, SECONDS);
    }
  }

  @Test
  void theBudgetOfACredentialAndAddressIsItsOwn() {
    AtomicLong nanos = new AtomicLong();
    RefusedStore store = store(Path.of("unused"), config(1 << 20, 14), nanos);

    assertThat(store.admit("key-1", "10.0.0.1", 5)).as("burst 3").isEqualTo(3);
    assertThat(store.admit("key-1", "10.0.0.1", 1)).isZero();
    assertThat(store.admit("key-1", "10.0.0.2", 1)).as("another address").isEqualTo(1);
    assertThat(store.admit("key-2", "10.0.0.1", 1)).as("another credential").isEqualTo(1);
    nanos.addAndGet(1_000_000_000L);
    assertThat(store.admit("key-1", "10.0.0.1", 5)).as("one a second").isEqualTo(1);
  }
}
