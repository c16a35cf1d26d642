package io.gameevents.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * An open-loop (constant arrival rate) HTTP load generator, for p99 at a fixed rate (bench/compare.sh):
 * wrk is closed-loop, so a slow answer delays the next request and the queueing never shows
 * ("coordinated omission"). Here request {@code i} is due at {@code start + i / rate} whatever happened to
 * the others, and its latency is measured from that intended time: a request that waits for a free
 * connection, or is sent late because this process was descheduled, counts its wait.
 *
 * <p>One event loop (like {@code wrk -t1}), a keep-alive pool of {@code connections}, a 1 ms tick that sends
 * every request due by then. Bodies are install events as in bench/install-event.lua, each id fresh.
 * Prints one line: target and achieved rate, latency percentiles (HdrHistogram), failures.
 *
 * <pre>
 * java -cp target/game-events.jar:target/test-classes io.gameevents.bench.OpenLoopLoad \
 *     url=http://127.0.0.1:8000/v1/events/install rate=10000 seconds=10 warmup=5 connections=128 [batch=100] [gzip=true]
 * </pre>
 */
public final class OpenLoopLoad {

  private final URI url;
  private final double rate;
  private final int connections;
  private final int batch;
  private final boolean gzip;
  private final String runTag = Long.toString(System.currentTimeMillis(), 36);
  private final String occurredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
  private long counter;
  private long sent;
  private long completed;
  private long failedStatus;
  private long failedIo;

  private OpenLoopLoad(URI url, double rate, int connections, int batch, boolean gzip) {
    this.url = url;
    this.rate = rate;
    this.connections = connections;
    this.batch = batch;
    this.gzip = gzip;
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("arguments are key=value, not " + arg);
      }
      options.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    OpenLoopLoad load = new OpenLoopLoad(URI.create(options.getOrDefault("url", "http://127.0.0.1:8000/v1/events/install")),
        Double.parseDouble(options.getOrDefault("rate", "1000")),
        Integer.parseInt(options.getOrDefault("connections", "128")),
        Integer.parseInt(options.getOrDefault("batch", "0")),
        Boolean.parseBoolean(options.getOrDefault("gzip", "false")));
    load.run(Double.parseDouble(options.getOrDefault("warmup", "5")),
        Double.parseDouble(options.getOrDefault("seconds", "10")));
  }

  private void run(double warmupSeconds, double seconds) throws InterruptedException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setDefaultHost(url.getHost()).setDefaultPort(url.getPort()))
        .with(new PoolOptions().setHttp1MaxSize(connections))
        .build();
    CountDownLatch finished = new CountDownLatch(1);
    long intervalNanos = (long) (1e9 / rate);
    long warmupNanos = (long) (warmupSeconds * 1e9);
    long measureNanos = (long) (seconds * 1e9);
    long[] measured = new long[1];
    vertx.runOnContext(started -> {
      long start = System.nanoTime();
      long[] next = {start};
      long timer = vertx.setPeriodic(1, tick -> {
        long now = System.nanoTime();
        while (next[0] <= now && next[0] < start + warmupNanos + measureNanos) {
          send(client, next[0], next[0] >= start + warmupNanos);
          next[0] += intervalNanos;
        }
      });
      // after the window: stop sending, give the last requests up to 10 s to be answered
      vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(warmupNanos + measureNanos) + 1, end -> {
        vertx.cancelTimer(timer);
        measured[0] = sent;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        vertx.setPeriodic(10, check -> {
          if (completed >= sent || System.nanoTime() > giveUp) {
            vertx.cancelTimer(check);
            finished.countDown();
          }
        });
      });
    });
    finished.await();
    System.out.printf("open loop: target: %.0f req/s, sent: %.0f req/s, p50: %.2f ms, p90: %.2f ms, p99: %.2f ms, "
            + "p99.9: %.2f ms, max: %.2f ms, non-2xx: %d, errors: %d, unanswered: %d%n",
        rate, measured[0] / seconds, ms(50), ms(90), ms(99), ms(99.9), latencyMicros.getMaxValue() / 1000.0,
        failedStatus, failedIo, sent - completed);
    client.close().eventually(vertx::close).toCompletionStage().toCompletableFuture().join();
  }

  private double ms(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** One request due at {@code intendedNanos}; only those due inside the measured window are counted. */
  private void send(HttpClientAgent client, long intendedNanos, boolean counted) {
    Buffer body = Buffer.buffer(gzip ? gzip(nextBody()) : nextBody().getBytes(StandardCharsets.UTF_8));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(url.getRawPath())
        .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer dev-secret");
    if (gzip) {
      request.putHeader("Content-Encoding", "gzip");
    }
    if (counted) {
      sent++;
    }
    Future<Integer> answered = client.request(request)
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
    answered.onComplete(result -> {
      if (!counted) {
        return;
      }
      completed++;
      latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
          (System.nanoTime() - intendedNanos) / 1000));
      if (result.failed()) {
        failedIo++;
      } else if (result.result() / 100 != 2) {
        failedStatus++;
      }
    });
  }

  private String nextBody() {
    if (batch <= 0) {
      return event();
    }
    StringBuilder events = new StringBuilder("{\"events\":[");
    for (int i = 0; i < batch; i++) {
      events.append(i == 0 ? "" : ",").append(event());
    }
    return events.append("]}").toString();
  }

  private String event() {
    counter++;
    return "{\"event_id\":\"open-" + runTag + "-" + counter + "\",\"event_type\":\"install\",\"occurred_at\":\""
        + occurredAt + "\",\"player_id\":\"player_" + (counter % 1000) + "\",\"app_id\":\"com.game.test\","
        + "\"platform\":\"ios\"}";
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 4);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
