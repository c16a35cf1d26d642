package io.gameevents.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * An open-loop (constant arrival rate) HTTP load generator, for p99 at a fixed rate (bench/compare.sh):
 * wrk is closed-loop, so a slow answer delays the next request and the queueing never shows
 * ("coordinated omission"). Here request {@code i} is due at {@code start + i / rate} whatever happened to
 * the others, and its latency is measured from that intended time: a request that waits for a free
 * connection, or is sent late because this process was descheduled, counts its wait.
 *
 * <p>Lean on purpose, because it shares the machine with what it measures: one thread, plain NIO
 * ({@link OpenLoopEngine}), requests encoded once and only their ids rewritten ({@link RequestTemplate}),
 * a minimal response parser ({@link HttpResponseParser}). Bodies are install events as in
 * bench/install-event.lua (or 100-event batches as bench/batch-event.lua with {@code batch=100}), every
 * id new. It prints one line: target and achieved rate, latency percentiles (HdrHistogram), failures,
 * and its own CPU time per request over the measured window (this thread's, and the whole JVM's with
 * JIT and GC). The exit status is 0 even when requests failed: the line says so, and compare.sh judges.
 *
 * <pre>
 * java -cp target/game-events.jar:target/test-classes io.gameevents.bench.OpenLoopLoad \
 *     url=http://127.0.0.1:8000/v1/events/install rate=10000 seconds=10 warmup=5 connections=128 [batch=100] [tick_us=100]
 * </pre>
 */
public final class OpenLoopLoad {

  private OpenLoopLoad() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("arguments are key=value, not " + arg);
      }
      options.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8000/v1/events/install"));
    if (!"http".equals(url.getScheme()) || url.getPort() < 0) {
      throw new IllegalArgumentException("the url must be http://host:port/path, not " + url);
    }
    double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
    RequestTemplate template = RequestTemplate.installEvents(url.getHost() + ":" + url.getPort(), url.getRawPath(),
        options.getOrDefault("authorization", "Bearer dev-secret"),
        Integer.parseInt(options.getOrDefault("batch", "0")),
        Long.toString(System.currentTimeMillis(), 36), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    OpenLoopEngine.Settings settings = new OpenLoopEngine.Settings(new InetSocketAddress(url.getHost(), url.getPort()),
        rate, Integer.parseInt(options.getOrDefault("connections", "128")),
        seconds(options.getOrDefault("warmup", "5")), seconds(options.getOrDefault("seconds", "10")),
        TimeUnit.SECONDS.toNanos(10), TimeUnit.MICROSECONDS.toNanos(Long.parseLong(options.getOrDefault("tick_us", "100"))));
    System.out.println(summary(new OpenLoopEngine(settings, template).run()));
  }

  private static long seconds(String value) {
    return (long) (Double.parseDouble(value) * 1e9);
  }

  static String summary(OpenLoopEngine.Result result) {
    double perSecond = 1 / result.seconds();
    long due = Math.max(1, result.due());
    return String.format("open loop: target: %.0f req/s, sent: %.0f req/s, p50: %.2f ms, p90: %.2f ms, p99: %.2f ms, "
            + "p99.9: %.2f ms, max: %.2f ms, non-2xx: %d%s, errors: %d, unanswered: %d, max queued: %d, "
            + "generator_cpu_us_per_request: %.2f (user %.2f), generator_jvm_cpu_us_per_request: %.2f, wake-ups per request: %.2f%s",
        result.rate(), result.written() * perSecond, ms(result, 50), ms(result, 90), ms(result, 99), ms(result, 99.9),
        result.latencyMicros().getMaxValue() / 1000.0, result.non2xx(), statuses(result.statusCounts()),
        result.lost() + result.connectionErrors(), result.unanswered(), result.maxQueued(),
        result.loopCpuNanos() / 1000.0 / due, result.loopUserNanos() / 1000.0 / due, result.processCpuNanos() / 1000.0 / due,
        (double) result.wakeUps() / due,
        result.clean() ? "" : " (NOT CLEAN: failures above)");
  }

  private static double ms(OpenLoopEngine.Result result, double percentile) {
    return result.latencyMicros().getValueAtPercentile(percentile) / 1000.0;
  }

  /** " (503 x 12, 401 x 3)" for the non-2xx statuses seen, "" if none. */
  private static String statuses(int[] counts) {
    StringJoiner joined = new StringJoiner(", ", " (", ")").setEmptyValue("");
    for (int status = 0; status < counts.length; status++) {
      if (counts[status] > 0 && status / 100 != 2) {
        joined.add(status + " x " + counts[status]);
      }
    }
    return joined.toString();
  }
}
