package io.gameevents.delivery.file;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The file sink's encoding of one write (100 records of an install's record size, ~700 bytes, into NDJSON),
 * without the file I/O. In the file package because the encoding is package-private.
 * Run with {@code bench/jmh.sh FileSinkEncodeBenchmark -prof gc}, or as a CpuTimed case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FileSinkEncodeBenchmark {

  public static final int RECORDS = 100;

  private final List<byte[]> records = new ArrayList<>();
  private final FileSink plain = new FileSink(null, new FileSinkConfig("unused", "events", 1 << 20, 300, false),
      java.time.Clock.systemUTC());

  public FileSinkEncodeBenchmark() {
    for (int i = 0; i < RECORDS; i++) {
      byte[] record = new byte[650 + i];
      Arrays.fill(record, (byte) 'x');
      records.add(record);
    }
  }

  @Benchmark
  public Object encodePlain() throws IOException {
    return plain.encode(records);
  }
}
