package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.bench.ValidationBenchmark;
import io.gameevents.config.ValidationConfig;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The schema fast path alone, and validate() without it (networknt alone), on ValidationBenchmark's events,
 * so one run compares both. Lives in the validation package because the fast path is package-private.
 * {@code bench/jmh.sh FastPathBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc}, or CpuTimed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FastPathBenchmark {

  private final Instant receivedAt = Instant.parse("2026-11-24T09:00:00Z");
  private EventValidator withoutFastPath;
  private EventSchema installSchema;
  private EventSchema purchaseSchema;
  private JsonNode install;
  private byte[] installRaw;
  private JsonNode purchase;
  private byte[] purchaseRaw;

  @Setup
  public void setUp() throws IOException {
    ValidationConfig config = new ValidationConfig(List.of("install", "purchase"), null, 86400, 30L * 86400,
        16 * 1024);
    withoutFastPath = EventValidator.loadWithoutFastPath(config);
    EventValidator validator = EventValidator.load(config);
    installSchema = validator.schema("install", 1);
    purchaseSchema = validator.schema("purchase", 1);
    ObjectMapper mapper = new ObjectMapper();
    installRaw = ValidationBenchmark.INSTALL.getBytes(StandardCharsets.UTF_8);
    install = mapper.readTree(installRaw);
    purchaseRaw = ValidationBenchmark.PURCHASE.getBytes(StandardCharsets.UTF_8);
    purchase = mapper.readTree(purchaseRaw);
    if (!installSchema.certainlyValid(install) || !purchaseSchema.certainlyValid(purchase)
        || !(validateInstallWithoutFastPath() instanceof Validation.Valid)) {
      throw new IllegalStateException("the benchmark events must be valid and vouched for");
    }
  }

  @Benchmark
  public boolean fastPathInstall() {
    return installSchema.certainlyValid(install);
  }

  @Benchmark
  public boolean fastPathPurchase() {
    return purchaseSchema.certainlyValid(purchase);
  }

  @Benchmark
  public Validation validateInstallWithoutFastPath() {
    return withoutFastPath.validate(install, installRaw, "install", receivedAt);
  }

  @Benchmark
  public Validation validatePurchaseWithoutFastPath() {
    return withoutFastPath.validate(purchase, purchaseRaw, "purchase", receivedAt);
  }
}
