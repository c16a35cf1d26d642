package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Cost of writing the warehouse record alone ({@link EventRecord#write}), without the schema check. Lives in
 * the validation package because the writer is package-private. Run with the allocation profiler:
 * {@code bench/jmh.sh EventRecordBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventRecordBenchmark {

  private static final String INSTALL = "{\"event_id\":\"0f8a2c3e-6f6e-4f5b-9a53-4d8c2b1e7a90\","
      + "\"event_type\":\"install\",\"occurred_at\":\"2026-11-24T09:59:30.250+01:00\","
      + "\"sent_at\":\"2026-11-24T09:59:31.000+01:00\",\"player_id\":\"player-8812734\","
      + "\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"ios\","
      + "\"properties\":{\"campaign\":\"winter_sale\",\"level\":3}}";
  /** The same install as a context-aware SDK sends it. */
  private static final String INSTALL_WITH_CONTEXT = INSTALL.replace("\"platform\":\"ios\",",
      "\"platform\":\"ios\",\"context\":{\"app_version\":\"2.4.1\",\"build\":\"2041\",\"os\":\"iOS\","
          + "\"os_version\":\"18.1\",\"device_model\":\"iPhone15,2\","
          + "\"device_id\":\"6b1f7d2c-3a4e-4f5b-9c8d-7e6f5a4b3c2d\",\"locale\":\"en-US\",\"country\":\"US\","
          + "\"session_id\":\"s-20261124-0915\",\"sdk\":{\"name\":\"game-events-java\",\"version\":\"1.1.0\"}},");

  private final Instant occurredAt = Instant.parse("2026-11-24T08:59:30.250Z");
  private final Instant receivedAt = Instant.parse("2026-11-24T09:00:00.123Z");
  private JsonNode install;
  private byte[] installRaw;
  private JsonNode installWithContext;
  private byte[] installWithContextRaw;

  @Setup
  public void setUp() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    install = mapper.readTree(INSTALL);
    installRaw = INSTALL.getBytes(StandardCharsets.UTF_8);
    installWithContext = mapper.readTree(INSTALL_WITH_CONTEXT);
    installWithContextRaw = INSTALL_WITH_CONTEXT.getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public EventRecord.Written installRecord() throws IOException {
    return EventRecord.write(install, installRaw, "install", 1, occurredAt, "2026-11-24T09:59:30.250+01:00",
        receivedAt, null, RecordColumns.Custom.NONE);
  }

  @Benchmark
  public EventRecord.Written installWithContextRecord() throws IOException {
    return EventRecord.write(installWithContext, installWithContextRaw, "install", 1, occurredAt,
        "2026-11-24T09:59:30.250+01:00", receivedAt, null, RecordColumns.Custom.NONE);
  }
}
