package io.gameevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.gameevents.config.ValidationConfig;
import io.gameevents.http.validation.EventValidator;
import io.gameevents.http.validation.Validation;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link EventValidator#validate} (schema + data-quality checks + record) per event, and of the
 * bare schema check with networknt json-schema-validator versus vertx-json-schema on the same schemas.
 * Run: {@code bench/jmh.sh ValidationBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ValidationBenchmark {

  private static final String BASE = "https://gameevents.io/schemas/";
  /** Also the events of FastPathBenchmark. */
  public static final String INSTALL = "{\"event_id\":\"0f8a2c3e-6f6e-4f5b-9a53-4d8c2b1e7a90\","
      + "\"event_type\":\"install\",\"occurred_at\":\"2026-11-24T09:59:30.250+01:00\","
      + "\"sent_at\":\"2026-11-24T09:59:31.000+01:00\",\"player_id\":\"player-8812734\","
      + "\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"ios\","
      + "\"properties\":{\"campaign\":\"winter_sale\",\"device\":\"iPhone15,2\",\"os_version\":\"18.1\"}}";
  public static final String PURCHASE = "{\"event_id\":\"7d1e0b54-2a41-4f0e-8f3c-b1c2d3e4f5a6\","
      + "\"event_type\":\"purchase\",\"occurred_at\":\"2026-11-24T08:58:00Z\",\"player_id\":\"player-8812734\","
      + "\"app_id\":\"com.studio.puzzlequest\",\"platform\":\"android\",\"product_id\":\"gems_500\","
      + "\"quantity\":1,\"amount_micros\":4990000,\"currency\":\"EUR\",\"properties\":{\"store\":\"google_play\"}}";
  private static final String BAD_PURCHASE = PURCHASE.replace("\"quantity\":1", "\"quantity\":0")
      .replace("\"EUR\"", "\"XYZ\"").replace("\"android\"", "\"pc\"");

  private EventValidator validator;
  private final Instant receivedAt = Instant.parse("2026-11-24T09:00:00Z");
  private Event install;
  private Event purchase;
  private Event badPurchase;

  private Schema networkntPurchase;
  private Schema networkntInstall;
  private Schema networkntInstallFormatsOff;
  private Validator vertxInstall;
  private Validator vertxPurchase;
  private JsonObject vertxInstallEvent;
  private JsonObject vertxPurchaseEvent;

  private record Event(JsonNode tree, byte[] raw) {
  }

  @Setup
  public void setUp() throws IOException {
    validator = EventValidator.load(new ValidationConfig(List.of("install", "purchase"), null, 86400,
        30L * 86400, 16 * 1024));
    ObjectMapper mapper = new ObjectMapper();
    install = new Event(mapper.readTree(INSTALL), INSTALL.getBytes(StandardCharsets.UTF_8));
    purchase = new Event(mapper.readTree(PURCHASE), PURCHASE.getBytes(StandardCharsets.UTF_8));
    badPurchase = new Event(mapper.readTree(BAD_PURCHASE), BAD_PURCHASE.getBytes(StandardCharsets.UTF_8));
    requireValid(validateInstall());
    requireValid(validatePurchase());

    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemas(iri -> iri.startsWith(BASE) ? resource(iri.substring(BASE.length())) : null)
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    networkntPurchase = registry.getSchema(SchemaLocation.of(BASE + "purchase.v1.json"));
    networkntPurchase.initializeValidators();
    networkntInstall = registry.getSchema(SchemaLocation.of(BASE + "install.v1.json"));
    networkntInstall.initializeValidators();
    // the same schema with "format" as an annotation only: what the two date-time checks cost
    networkntInstallFormatsOff = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemas(iri -> iri.startsWith(BASE) ? resource(iri.substring(BASE.length())) : null))
        .getSchema(SchemaLocation.of(BASE + "install.v1.json"));
    networkntInstallFormatsOff.initializeValidators();

    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
        .setOutputFormat(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(options);
    for (String file : List.of("common.v1.json", "install.v1.json", "purchase.v1.json")) {
      repository.dereference(BASE + file, JsonSchema.of(new JsonObject(resource(file))));
    }
    vertxInstall = repository.validator(BASE + "install.v1.json");
    vertxPurchase = repository.validator(BASE + "purchase.v1.json");
    vertxInstallEvent = new JsonObject(INSTALL);
    vertxPurchaseEvent = new JsonObject(PURCHASE);
    if (!vertxPurchase.validate(vertxPurchaseEvent).getValid() || !networkntPurchase.validate(purchase.tree()).isEmpty()) {
      throw new IllegalStateException("benchmark purchase must be valid for both libraries");
    }
  }

  /** Full validate(): schema, clock-skew correction and limits, record bytes. */
  @Benchmark
  public Validation validateInstall() {
    return validator.validate(install.tree(), install.raw(), "install", receivedAt);
  }

  @Benchmark
  public Validation validatePurchase() {
    return validator.validate(purchase.tree(), purchase.raw(), "purchase", receivedAt);
  }

  /** Three errors: the path a misbehaving client costs. */
  @Benchmark
  public Validation validateInvalidPurchase() {
    return validator.validate(badPurchase.tree(), badPurchase.raw(), "purchase", receivedAt);
  }

  @Benchmark
  public Object networkntSchemaOnlyPurchase() {
    return networkntPurchase.validate(purchase.tree());
  }

  /** An install has two timestamps (occurred_at, sent_at), each with {@code format: date-time}. */
  @Benchmark
  public Object networkntSchemaOnlyInstall() {
    return networkntInstall.validate(install.tree());
  }

  @Benchmark
  public Object networkntSchemaOnlyInstallFormatsOff() {
    return networkntInstallFormatsOff.validate(install.tree());
  }

  @Benchmark
  public OutputUnit vertxSchemaOnlyInstall() {
    return vertxInstall.validate(vertxInstallEvent);
  }

  @Benchmark
  public OutputUnit vertxSchemaOnlyPurchase() {
    return vertxPurchase.validate(vertxPurchaseEvent);
  }

  private static void requireValid(Validation validation) {
    if (!(validation instanceof Validation.Valid)) {
      throw new IllegalStateException("benchmark event must be valid: " + validation);
    }
  }

  private static String resource(String file) {
    try (InputStream in = ValidationBenchmark.class.getClassLoader().getResourceAsStream("schemas/" + file)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
