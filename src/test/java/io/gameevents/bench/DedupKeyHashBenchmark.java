package io.gameevents.bench;

import io.gameevents.config.HashKey;
import io.gameevents.dedup.storage.DedupHasher;
import io.gameevents.dedup.storage.DedupKey;
import io.gameevents.dedup.storage.OldMurmurDedupHash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The dedup identity of one event, (app_id, event_id) to 128 bits, by the candidates for a keyed hash:
 * SipHash-2-4-128 (what {@link DedupHasher} uses), HMAC-SHA256 truncated to 128 bits (a Mac per thread,
 * as a hot path would keep it), and the old unkeyed MurmurHash3 for reference. Ids cycle through 4,096
 * UUID-like event ids of one app. Run with {@code bench/jmh.sh DedupKeyHashBenchmark}, or as CpuTimed cases.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DedupKeyHashBenchmark {

  private static final int MASK = 4095;
  private static final String APP = "com.studio.puzzlequest";

  private final String[] eventIds = new String[MASK + 1];
  private final byte[] key = new byte[HashKey.BYTES];
  private DedupHasher sipHash;
  private Mac hmac;
  private int next;

  @Setup
  public void setUp() throws GeneralSecurityException {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i <= MASK; i++) {
      eventIds[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
    random.nextBytes(key);
    sipHash = new DedupHasher(new HashKey(key));
    hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
  }

  @Benchmark
  public DedupKey sipHash128() {
    return sipHash.key(APP, eventIds[next++ & MASK]);
  }

  @Benchmark
  public DedupKey hmacSha256Truncated() {
    hmac.update(APP.getBytes(StandardCharsets.UTF_8));
    hmac.update((byte) 0);
    ByteBuffer tag = ByteBuffer.wrap(hmac.doFinal(eventIds[next++ & MASK].getBytes(StandardCharsets.UTF_8)));
    return new DedupKey(tag.getLong(), tag.getLong());
  }

  @Benchmark
  public DedupKey oldMurmur3Unkeyed() {
    return OldMurmurDedupHash.of(APP, eventIds[next++ & MASK]);
  }
}
