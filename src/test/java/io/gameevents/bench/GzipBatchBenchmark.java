package io.gameevents.bench;

import io.gameevents.http.BodyDecoder;
import io.gameevents.util.Gzip;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * What a gzip-compressed batch costs the HTTP stage beyond a plain one: {@link Gzip#inflate} of the body (as
 * BodyReader does it, under the 1 MiB body limit), and the decoding into events that follows either way.
 * Divide by {@code events} for the cost per event.
 * Run: {@code bench/jmh.sh GzipBatchBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GzipBatchBenchmark {

  private static final int MAX_BODY_BYTES = 1024 * 1024;

  @Param({"100"})
  public int events;

  private byte[] plain;
  private byte[] gzipped;
  private BodyDecoder decoder;

  @Setup
  public void setUp() throws IOException {
    // random UUIDs and player ids: what a client's batch compresses to, not a best case of repeated text
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = 0; i < events; i++) {
      body.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(new UUID(random.nextLong(), random.nextLong()))
          .append("\",\"event_type\":\"install\",\"occurred_at\":\"2026-11-24T09:59:30.250+01:00\",")
          .append("\"sent_at\":\"2026-11-24T09:59:31.000+01:00\",\"player_id\":\"player-").append(random.nextInt(10_000_000))
          .append("\",\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"ios\",")
          .append("\"properties\":{\"campaign\":\"winter_sale\",\"device\":\"iPhone15,2\",\"os_version\":\"18.1\"}}");
    }
    plain = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    gzipped = out.toByteArray();
    decoder = new BodyDecoder(32 * 1024, 500);
    System.out.printf("%n%d events: %,d bytes plain, %,d gzipped (%.1fx)%n", events, plain.length, gzipped.length,
        (double) plain.length / gzipped.length);
  }

  @Benchmark
  public byte[] inflate() throws Exception {
    return Gzip.inflate(gzipped, true, MAX_BODY_BYTES);
  }

  @Benchmark
  public List<BodyDecoder.Element> decodePlain() throws Exception {
    return decoder.batch(plain);
  }

  @Benchmark
  public List<BodyDecoder.Element> inflateAndDecode() throws Exception {
    return decoder.batch(Gzip.inflate(gzipped, true, MAX_BODY_BYTES));
  }
}
