package io.gameevents.bench;

import io.gameevents.util.Gzip;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * What a 1 MiB gzip body costs {@link Gzip#inflate} (as BodyReader calls it, under the 1 MiB body limit) when it is
 * a normal batch compressed as one stream, against the member bomb: one small event followed by empty gzip members
 * up to 1 MiB on the wire (~52,000 of them), each of which used to cost a new Inflater and buffer.
 * {@code memberBomb} returns whatever inflate does, or the refusal.
 * Run: {@code bench/jmh.sh GzipMembersBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}, or by thread CPU time (steadier on a
 * shared machine, see {@link CpuTimed}) with {@link #main}:
 * <pre>bench/jmh.sh -h > /dev/null; java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" io.gameevents.bench.GzipMembersBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GzipMembersBenchmark {

  static final int MAX_BODY_BYTES = 1024 * 1024;

  byte[] normal;
  byte[] bomb;

  @Setup
  public void setUp() throws IOException {
    normal = gzip(batchOfAbout(MAX_BODY_BYTES - 4096));
    byte[] empty = gzip(new byte[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BODY_BYTES);
    out.write(gzip("{\"events\":[{\"event_type\":\"install\"}]}".getBytes(StandardCharsets.UTF_8)));
    int members = 1;
    while (out.size() + empty.length <= MAX_BODY_BYTES) {
      out.write(empty);
      members++;
    }
    bomb = out.toByteArray();
    System.out.printf("%nnormal: %,d bytes gzipped; bomb: %,d bytes, %,d members%n", normal.length, bomb.length, members);
  }

  @Benchmark
  public Object normalBody() throws Exception {
    return Gzip.inflate(normal, true, MAX_BODY_BYTES);
  }

  @Benchmark
  public Object memberBomb() {
    try {
      return Gzip.inflate(bomb, true, MAX_BODY_BYTES);
    } catch (Exception refused) {
      return refused;
    }
  }

  public static void main(String[] args) throws Exception {
    GzipMembersBenchmark bench = new GzipMembersBenchmark();
    bench.setUp();
    double[] normal = CpuTimed.nanosPerCall(bench::normalBody, 5, 11, 20);
    double[] bomb = CpuTimed.nanosPerCall(bench::memberBomb, 5, 11, 20);
    System.out.printf("normal 1 MiB body: %s%nmember bomb:       %s%nbomb / normal (medians): %.2f%n",
        CpuTimed.describe(normal, 1), CpuTimed.describe(bomb, 1), bomb[bomb.length / 2] / normal[normal.length / 2]);
  }

  /** Random ids and player ids, so the body compresses like a client's batch, not like repeated text. */
  private static byte[] batchOfAbout(int bytes) {
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder body = new StringBuilder("{\"events\":[");
    while (body.length() < bytes - 1024) {
      body.append(body.length() == 11 ? "" : ",").append("{\"event_id\":\"")
          .append(new UUID(random.nextLong(), random.nextLong()))
          .append("\",\"event_type\":\"install\",\"occurred_at\":\"2026-11-24T09:59:30.250+01:00\",")
          .append("\"player_id\":\"player-").append(random.nextInt(10_000_000))
          .append("\",\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"ios\",")
          .append("\"properties\":{\"campaign\":\"winter_sale\",\"device\":\"iPhone15,2\",\"os_version\":\"18.1\"}}");
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return out.toByteArray();
  }
}
