package io.gameevents.bench;

import io.gameevents.config.RateLimitConfig;
import io.gameevents.http.limit.TokenBucket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the rate limit adds to a request: reading the clock and one compare-and-set on the credential's bucket,
 * on a bucket of one's own or on one that every benchmark thread (event loop) shares. A take is paired with a
 * give-back so the bucket never runs dry; {@code refused} is the answer of an empty bucket (no write).
 * Run with bench/jmh.sh RateLimitBenchmark -t 2 (and -t 1).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimitBenchmark {

  private static final RateLimitConfig LIMIT = new RateLimitConfig(1_000_000, 1_000_000);

  @State(Scope.Benchmark)
  public static class Shared {
    final TokenBucket bucket = new TokenBucket(LIMIT, System::nanoTime);
    final TokenBucket empty = emptied(new TokenBucket(new RateLimitConfig(1, 1_000_000), System::nanoTime));
  }

  @State(Scope.Thread)
  public static class Own {
    final TokenBucket bucket = new TokenBucket(LIMIT, System::nanoTime);
  }

  @Benchmark
  public long ownBucket(Own own) {
    return takeAndGiveBack(own.bucket);
  }

  @Benchmark
  public long sharedBucket(Shared shared) {
    return takeAndGiveBack(shared.bucket);
  }

  @Benchmark
  public long refused(Shared shared) {
    return shared.empty.tryTake(1, shared.empty.now());
  }

  private static long takeAndGiveBack(TokenBucket bucket) {
    long now = bucket.now();
    long shortfall = bucket.tryTake(1, now);
    bucket.giveBack(1, now);
    return shortfall;
  }

  private static TokenBucket emptied(TokenBucket bucket) {
    bucket.tryTake(1_000_000, bucket.now());
    return bucket;
  }
}
