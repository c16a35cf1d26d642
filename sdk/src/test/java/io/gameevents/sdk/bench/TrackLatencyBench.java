package io.gameevents.sdk.bench;

import io.gameevents.sdk.GameEventClient;
import io.gameevents.sdk.GameEventClientConfig;
import io.gameevents.sdk.InstallEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The latency of {@code track()} as a game thread sees it, with the disk queue on: a timed loop (not a test),
 * paced like a game that tracks {@code rate} events per second, against a local server that accepts every
 * batch. Run by {@code bench/sdk-track.sh [rate] [seconds] [disk|memory]}; prints p50/p99/p99.9/max in microseconds.
 * Uses only the public API, so the same source measures an older SDK too.
 */
public final class TrackLatencyBench {

  private TrackLatencyBench() {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    boolean disk = args.length <= 2 || !args[2].equals("memory");
    Vertx vertx = Vertx.vertx();
    HttpServer server = acceptingServer(vertx);
    Path queueDirectory = Files.createTempDirectory("track-bench");
    GameEventClientConfig config = new GameEventClientConfig("http://127.0.0.1:" + server.actualPort(), "bench")
        .setQueueDirectory(disk ? queueDirectory : null)
        .setFlushInterval(Duration.ofMillis(200))
        .setMaxQueuedEvents(1_000_000);
    GameEventClient client = new GameEventClient(vertx, config);
    // events are built before the loop: what is measured is track(), not the game's own allocation
    InstallEvent[] events = new InstallEvent[4096];
    for (int i = 0; i < events.length; i++) {
      events[i] = InstallEvent.create("player_" + i, "com.game.bench", "ios").withProperty("level", i);
    }

    run(client, events, rate, Math.max(2, seconds / 4)); // warm-up: JIT, connection, journal file
    long[][] measured = run(client, events, rate, seconds);
    long[] latencies = measured[0];
    System.out.printf("track() with the %s queue, %d events/s for %d s: %d calls, dropped %d%n",
        disk ? "disk" : "in-memory", rate, seconds, latencies.length, client.droppedEvents());
    print("track()", latencies);
    print("encode only", measured[1]);

    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    try (Stream<Path> files = Files.walk(queueDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static void print(String what, long[] latencies) {
    Arrays.sort(latencies);
    System.out.printf("%-20s p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n", what,
        micros(latencies, 0.50), micros(latencies, 0.99), micros(latencies, 0.999),
        latencies[latencies.length - 1] / 1000.0);
  }

  /**
   * Tracks one event every 1/rate s (spinning until its slot, as a busy frame loop would) and times each call.
   * Right after each, it times the JSON encoding of an event alone: CPU work of about the same length and no
   * queue, so its tail is what this machine (other threads, other processes, GC) adds to any call of that size.
   *
   * @return the track() latencies and the encode-only latencies, in ns
   */
  private static long[][] run(GameEventClient client, InstallEvent[] events, int rate, int seconds) {
    int count = rate * seconds;
    long[] latencies = new long[count];
    long[] encodeOnly = new long[count];
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < count; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      InstallEvent event = events[i % events.length].withEventId("e" + i + "-" + next);
      long start = System.nanoTime();
      client.track(event);
      long tracked = System.nanoTime();
      sink += event.toJson().encode().length();
      encodeOnly[i] = System.nanoTime() - tracked;
      latencies[i] = tracked - start;
      next += interval;
    }
    if (sink == 42) {
      System.out.println(); // keeps the encoding from being optimised away
    }
    return new long[][] {latencies, encodeOnly};
  }

  private static double micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
  }

  private static HttpServer acceptingServer(Vertx vertx) {
    return vertx.createHttpServer(new HttpServerOptions().setDecompressionSupported(true)).requestHandler(request -> request.body().onSuccess(body -> {
      JsonArray events = body.toJsonObject().getJsonArray("events");
      JsonArray results = new JsonArray();
      for (int i = 0; i < events.size(); i++) {
        results.add(new JsonObject().put("index", i).put("status", "accepted"));
      }
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("accepted", events.size()).put("results", results).encode());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
  }
}
