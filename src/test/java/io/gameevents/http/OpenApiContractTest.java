package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps /openapi.yaml true: every documented operation is served and answers with a documented
 * status, and real responses validate against the documented schemas.
 */
class OpenApiContractTest extends ServiceTestBase {

  private static JsonNode spec;
  private static final String LIMITED = "limited-secret-key";

  /** A key with room for one event, on a clock that never moves: its next request is always 429. */
  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("auth").getJsonArray("api_keys").add(RateLimitTest.key("limited", LIMITED)
        .put("rate_limit", new JsonObject().put("events_per_second", 1).put("burst", 1)));
    return config;
  }

  @Override
  protected java.util.function.LongSupplier rateClock() {
    return () -> 0L;
  }

  @BeforeEach
  void readServedSpec() throws Exception {
    spec = ServedSpec.fetch(service);
  }

  @Test
  void servedSpecIsTheTemplateCompletedWithTheEventSchemas() throws Exception {
    JsonNode template;
    try (InputStream in = OpenApiContractTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      template = new YAMLMapper().readTree(in);
    }
    assertThat(spec.get("openapi").asText()).isEqualTo("3.1.0");
    for (String unchanged : List.of("info", "servers", "security")) {
      assertThat(spec.get(unchanged)).as(unchanged).isEqualTo(template.get(unchanged));
    }
    assertThat(spec.get("paths").size()).as("every type of the template is accepted").isEqualTo(template.get("paths").size());
    for (Iterator<Map.Entry<String, JsonNode>> components = template.get("components").fields(); components.hasNext(); ) {
      Map.Entry<String, JsonNode> component = components.next();
      for (Iterator<Map.Entry<String, JsonNode>> items = component.getValue().fields(); items.hasNext(); ) {
        Map.Entry<String, JsonNode> item = items.next();
        assertThat(spec.get("components").get(component.getKey()).get(item.getKey()))
            .as("%s/%s", component.getKey(), item.getKey()).isEqualTo(item.getValue());
      }
    }
    assertThat(template.at("/components/schemas").has("Event")).as("Event is generated").isFalse();
    assertThat(spec.at("/components/schemas/Event/anyOf").toString())
        .isEqualTo("[{\"$ref\":\"#/components/schemas/install\"},{\"$ref\":\"#/components/schemas/purchase\"}]");
  }

  /** /docs answers the page itself (a 2xx the document can name), with its relative links based at /docs/. */
  @Test
  void swaggerUiIsServedAtDocsWithoutASlashToo(VertxTestContext ctx) {
    service.client.get("/docs").followRedirects(false).send()
        .onComplete(ctx.succeeding(page -> ctx.verify(() -> {
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.getHeader("Content-Type")).startsWith("text/html");
          assertThat(page.bodyAsString()).contains("<base href=\"/docs/\">").contains("./swagger-initializer.js");
          ctx.completeNow();
        })));
  }

  @Test
  void swaggerUiIsServedAndPointsAtTheSpec(VertxTestContext ctx) {
    service.client.get("/docs/").send()
        .compose(index -> {
          ctx.verify(() -> {
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.bodyAsString()).contains("swagger-ui");
          });
          return service.client.get("/docs/swagger-initializer.js").send();
        })
        .onComplete(ctx.succeeding(initializer -> ctx.verify(() -> {
          assertThat(initializer.bodyAsString()).contains("url: \"/openapi.yaml\"");
          ctx.completeNow();
        })));
  }

  @Test
  void everyDocumentedOperationAnswersWithADocumentedStatus(VertxTestContext ctx) {
    List<Future<Void>> checks = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      if (path.getKey().equals("/metrics")) {
        continue; // needs Vert.x metrics, which the launcher enables: FatJarIT checks it on the real jar
      }
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        String url = withParameterExamples(path.getKey(), op.getValue());
        Future<HttpResponse<Buffer>> call = switch (op.getKey()) {
          case "get" -> service.client.get(url).followRedirects(false).send();
          case "options" -> service.client.request(io.vertx.core.http.HttpMethod.OPTIONS, url).send();
          case "post" -> service.postJson(url, url.equals("/v1/batch")
              ? new JsonObject().put("events", new JsonArray().add(install(newId()))) : install(newId()));
          default -> throw new AssertionError("undocumented method in test: " + op.getKey());
        };
        JsonNode responses = op.getValue().get("responses");
        checks.add(call.map(response -> {
          ctx.verify(() -> assertThat(responses.has(String.valueOf(response.statusCode())))
              .as("%s %s answered %s, documented: %s", op.getKey(), url, response.statusCode(), responses.fieldNames())
              .isTrue());
          return null;
        }));
      }
    }
    Future.all(checks).onComplete(ctx.succeedingThenComplete());
  }

  /** {type} and the like replaced by the parameter's documented example. */
  private static String withParameterExamples(String path, JsonNode operation) {
    String url = path;
    for (JsonNode parameter : operation.path("parameters")) {
      JsonNode resolved = ServedSpec.resolve(spec, parameter);
      if (resolved.path("in").asText().equals("path")) {
        url = url.replace("{" + resolved.get("name").asText() + "}", resolved.get("example").asText());
      }
    }
    assertThat(url).as("every path parameter has an example").doesNotContain("{");
    return url;
  }

  @Test
  void responsesMatchTheirDocumentedSchemas(VertxTestContext ctx) {
    JsonObject event = install(newId());
    service.postJson("/v1/events/install", event)
        .compose(accepted -> {
          ctx.verify(() -> assertMatches("EventStored", accepted));
          return service.postJson("/v1/events/install", event);
        })
        .compose(duplicate -> {
          ctx.verify(() -> assertMatches("EventStored", duplicate));
          return service.postJson("/v1/events/install", install(newId()).put("colour", "blue"));
        })
        .compose(invalid -> {
          ctx.verify(() -> {
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertMatches("Problem", invalid);
          });
          return service.post("/v1/events/install", "wrong-key").sendBuffer(install(newId()).toBuffer());
        })
        .compose(unauthorized -> {
          ctx.verify(() -> assertMatches("Problem", unauthorized));
          return service.postJson("/v1/batch", new JsonObject().put("events",
              new JsonArray().add(install(newId())).add(install(newId()).put("quantity", 0))));
        })
        .onComplete(ctx.succeeding(batch -> ctx.verify(() -> {
          assertThat(batch.statusCode()).isEqualTo(200);
          assertMatches("BatchResult", batch);
          ctx.completeNow();
        })));
  }

  @Test
  void rateLimitedAnswersAreDocumentedWithTheirHeaders(VertxTestContext ctx) {
    List<String> paths = List.of("/v1/events/install", "/v1/events/purchase", "/v1/events/{type}", "/v1/events",
        "/v1/batch");
    service.post("/v1/events/install", LIMITED).sendBuffer(install(newId()).toBuffer())
        .compose(stored -> {
          ctx.verify(() -> {
            assertThat(stored.statusCode()).isEqualTo(200);
            assertDocumentedHeadersPresent("/v1/events/install", stored);
          });
          List<Future<Void>> checks = new ArrayList<>();
          for (String path : paths) {
            String url = path.replace("{type}", "install");
            JsonObject body = url.equals("/v1/batch")
                ? new JsonObject().put("events", new JsonArray().add(install(newId()))) : install(newId());
            checks.add(service.post(url, LIMITED).sendBuffer(body.toBuffer()).map(limited -> {
              ctx.verify(() -> {
                assertThat(limited.statusCode()).as(url).isEqualTo(429);
                assertDocumentedHeadersPresent(path, limited);
                assertMatches("Problem", limited);
              });
              return null;
            }));
          }
          return Future.all(checks);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Every header the spec lists for this path's answer with the response's status is in the response. */
  private static void assertDocumentedHeadersPresent(String path, HttpResponse<Buffer> response) {
    JsonNode documented = spec.at("/paths/" + path.replace("/", "~1") + "/post/responses/" + response.statusCode());
    if (documented.has("$ref")) {
      documented = spec.at(documented.get("$ref").asText().substring(1));
    }
    List<String> headers = new ArrayList<>();
    documented.path("headers").fieldNames().forEachRemaining(headers::add);
    assertThat(headers).as("%s %s", path, response.statusCode()).contains("RateLimit-Limit", "RateLimit-Remaining",
        "RateLimit-Reset", "RateLimit");
    for (String header : headers) {
      assertThat(response.getHeader(header)).as("%s %s %s", path, response.statusCode(), header).isNotNull();
    }
  }

  private static void assertMatches(String component, HttpResponse<Buffer> response) throws Exception {
    ServedSpec.assertMatches(spec, component, response);
  }
}
