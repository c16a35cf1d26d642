package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Valid events mutated at random (fields dropped, altered, retyped, characters inserted, values
 * nested, fields added) and sent to POST /v1/events: never a 5xx; an event the service accepts is
 * one the JSON Schema accepts too (checked with networknt directly, not through the service's own
 * validator); and its stored record carries the same field values as the event sent.
 */
class EventMutationPropertyTest {

  private static final List<String> FIELDS = List.of("event_id", "event_type", "occurred_at", "player_id", "app_id",
      "platform", "schema_version", "sent_at", "properties", "product_id", "quantity", "amount_micros", "currency");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static TestService service;
  private static Map<String, Schema> schemas;

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    service = TestService.start(vertx, c -> c).await(60, SECONDS);
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemas(EventMutationPropertyTest::schemaText)
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    schemas = Map.of("install", registry.getSchema(SchemaLocation.of("https://gameevents.io/schemas/install.v1.json")),
        "purchase", registry.getSchema(SchemaLocation.of("https://gameevents.io/schemas/purchase.v1.json")));
  }

  @AfterContainer
  static void stop() throws Exception {
    service.stop().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  @Property(tries = 300)
  @StatisticsReport(onFailureOnly = true)
  void mutatedEventsAreRefusedOrStoredAsSent(@ForAll("mutatedEvents") JsonObject event) throws Exception {
    HttpResponse<Buffer> response = service.post("/v1/events").sendBuffer(event.toBuffer()).await(60, SECONDS);
    assertThat(response.statusCode()).as("%s -> %s", event, response.bodyAsString()).isLessThan(500);
    Statistics.collect(response.statusCode());
    // the generator must keep some mutants valid, or the round trip below would never be checked
    Statistics.coverage(coverage -> coverage.check(200).percentage(share -> share >= 3));
    if (response.statusCode() != 200 || !"accepted".equals(response.bodyAsJsonObject().getString("status"))) {
      return; // refused, or a duplicate of an event accepted before (its own record was checked then)
    }
    JsonNode sent = JSON.readTree(event.encode());
    Schema schema = schemas.get(event.getString("event_type"));
    assertThat(schema).as("accepted an event of type %s", event.getValue("event_type")).isNotNull();
    assertThat(schema.validate(sent)).as("the schema's errors for an accepted %s", event).isEmpty();

    JsonObject record = service.sinkRecords().stream()
        .filter(r -> r.getString("event_id").equals(event.getString("event_id"))).reduce((a, b) -> b).orElseThrow();
    assertThat(record.getJsonObject("raw_payload")).isEqualTo(event);
    for (String field : List.of("event_type", "player_id", "app_id", "platform", "product_id", "currency")) {
      assertThat(record.getValue(field)).as(field).isEqualTo(event.getValue(field));
    }
    for (String field : List.of("quantity", "amount_micros")) {
      Object sentValue = event.getValue(field);
      assertThat(record.getValue(field) == null ? null : ((Number) record.getValue(field)).doubleValue()).as(field)
          .isEqualTo(sentValue == null ? null : ((Number) sentValue).doubleValue());
    }
    assertThat(record.getValue("properties")).isEqualTo(event.getValue("properties"));
  }

  @Provide
  Arbitrary<JsonObject> mutatedEvents() {
    Arbitrary<JsonObject> valid = Arbitraries.of("install", "purchase").flatMap(type -> Arbitraries.strings()
        .withChars("abcXYZ019_-.:").ofMinLength(1).ofMaxLength(20).map(suffix -> {
          JsonObject event = type.equals("install") ? TestService.install(TestService.newId())
              : TestService.purchase(TestService.newId());
          return event.put("player_id", "p_" + suffix).put("properties", new JsonObject().put("level", suffix));
        }));
    return Combinators.combine(valid, mutation().list().ofMinSize(1).ofMaxSize(4)).as((event, mutations) -> {
      JsonObject mutated = event;
      for (UnaryOperator<JsonObject> mutation : mutations) {
        mutated = mutation.apply(mutated.copy());
      }
      return mutated;
    });
  }

  private Arbitrary<UnaryOperator<JsonObject>> mutation() {
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    return Arbitraries.oneOf(
        field.map(f -> e -> {
          e.remove(f);
          return e;
        }),
        Combinators.combine(field, anyValue()).as((f, v) -> e -> e.put(f, v)),
        Combinators.combine(field, oddChar(), Arbitraries.integers().between(0, 64)).as((f, c, at) -> e -> {
          if (e.getValue(f) instanceof String text) {
            int i = Math.min(at, text.length());
            e.put(f, text.substring(0, i) + c + text.substring(i));
          }
          return e;
        }),
        Combinators.combine(field, Arbitraries.of(true, false)).as((f, inArray) -> e -> {
          if (e.containsKey(f)) {
            Object v = e.getValue(f);
            e.put(f, inArray ? new JsonArray().add(v) : new JsonObject().put("value", v));
          }
          return e;
        }),
        Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(12), anyValue())
            .as((f, v) -> e -> e.put(f, v)),
        Combinators.combine(anyValue(), Arbitraries.strings().alpha().ofLength(3)).as((v, k) -> e -> {
          if (e.getValue("properties") instanceof JsonObject properties) {
            properties.put(k, v);
          }
          return e;
        }));
  }

  private Arbitrary<Object> anyValue() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        Arbitraries.strings().withChars("0123456789-:TZ.+").ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.of("2024-01-01T00:00:00Z", "ios", "android", "EUR", "install", "purchase", TestService.APP,
            "com.other.game", "").map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null),
        Arbitraries.just(new JsonArray()),
        Arbitraries.just(new JsonObject().put("nested", new JsonArray().add(1).add("x"))));
  }

  private Arbitrary<String> oddChar() {
    return Arbitraries.of("\u0000", "\u001f", "\n", "\u007f", "\u202e", "\u200b", "\ufeff", "\"", "\\", "é", "😀",
        " ", "/", "%00");
  }

  private static String schemaText(String iri) {
    String prefix = "https://gameevents.io/schemas/";
    if (!iri.startsWith(prefix)) {
      return null;
    }
    try (InputStream in = EventMutationPropertyTest.class.getResourceAsStream("/schemas/"
        + iri.substring(prefix.length()))) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
