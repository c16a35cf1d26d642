package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.support.Exchange;
import io.gameevents.support.ServiceTestBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /schemas/{type}.v{n}.json: the schema files in force, public, cacheable, and nothing else. */
class SchemaFilesTest extends ServiceTestBase {

  private static final String LEVEL_UP = """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "required": ["event_id", "event_type", "occurred_at", "player_id", "app_id", "platform", "level"],
       "properties": {"event_id": {"$ref": "common.v1.json#/$defs/event_id"}, "event_type": {"const": "level_up"},
         "occurred_at": {"$ref": "common.v1.json#/$defs/timestamp"}, "player_id": {"$ref": "common.v1.json#/$defs/player_id"},
         "app_id": {"$ref": "common.v1.json#/$defs/app_id"}, "platform": {"$ref": "common.v1.json#/$defs/platform"},
         "level": {"type": "integer", "minimum": 2}},
       "additionalProperties": false}
      """;
  private static final String SECRET = "{\"not\": \"for you\"}";

  private Path schemaDirectory;

  /** A custom type in a schema directory; next to that directory, a file nobody may read through /schemas/. */
  @Override
  protected JsonObject configure(JsonObject config) {
    try {
      Path root = Files.createTempDirectory("schema-files-test");
      schemaDirectory = Files.createDirectory(root.resolve("schemas"));
      Files.writeString(schemaDirectory.resolve("level_up.v1.json"), LEVEL_UP);
      Files.writeString(schemaDirectory.resolve("draft.v1.json"), LEVEL_UP); // not configured: not served
      Files.writeString(root.resolve("secret.json"), SECRET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config.put("validation", new JsonObject().put("schema_directory", schemaDirectory.toString())
        .put("event_types", new JsonArray().add("install").add("purchase").add("level_up")));
  }

  @Test
  void builtInAndCustomSchemasAreServedAsTheyAreWithoutCredentials() throws Exception {
    for (String name : List.of("install.v1.json", "purchase.v1.json", "common.v1.json")) {
      HttpResponse<Buffer> schema = get("/schemas/" + name);
      assertThat(schema.statusCode()).as(name).isEqualTo(200);
      assertThat(schema.getHeader("Content-Type")).isEqualTo("application/schema+json");
      assertThat(schema.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
      assertThat(schema.getHeader("ETag")).matches("\"[0-9a-f]{32}\"");
      assertThat(schema.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(schema.bodyAsString()).isEqualTo(builtIn(name));
    }
    assertThat(get("/schemas/level_up.v1.json").bodyAsString()).isEqualTo(LEVEL_UP);
  }

  @Test
  void anUnchangedSchemaIsNotSentAgain() throws Exception {
    String etag = get("/schemas/purchase.v1.json").getHeader("ETag");

    HttpResponse<Buffer> revalidated = service.client.get("/schemas/purchase.v1.json")
        .putHeader("If-None-Match", etag).send().await(60, SECONDS);

    assertThat(revalidated.statusCode()).isEqualTo(304);
    assertThat(revalidated.body()).isNull();
    assertThat(get("/schemas/install.v1.json").getHeader("ETag")).isNotEqualTo(etag);
  }

  @Test
  void anUnknownSchemaIsA404ThatListsTheServedOnes() throws Exception {
    for (String name : List.of("purchase.v9.json", "draft.v1.json", "README.md")) {
      HttpResponse<Buffer> missing = get("/schemas/" + name);

      assertThat(missing.statusCode()).as(name).isEqualTo(404);
      assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
      JsonObject problem = missing.bodyAsJsonObject();
      assertThat(problem.getString("type")).isEqualTo("urn:game-events:problem:not-found");
      assertThat(problem.getString("detail")).isEqualTo("there is no schema file \"" + name + "\"; the schemas are "
          + "common.v1.json, install.v1.json, level_up.v1.json, purchase.v1.json");
    }
  }

  @Test
  void noPathLeavesTheServedSchemas() throws Exception {
    List<String> attempts = List.of("/schemas/../secret.json", "/schemas/..%2Fsecret.json", "/schemas/..%2fsecret.json",
        "/schemas/%2e%2e%2fsecret.json", "/schemas/%2E%2E/secret.json", "/schemas/..%5Csecret.json",
        "/schemas/%252e%252e%252fsecret.json", "/schemas/....//secret.json", "/schemas/..;/secret.json",
        "/schemas/%c0%ae%c0%ae%c0%afsecret.json", "/schemas/" + schemaDirectory.getParent() + "/secret.json",
        "/schemas/level_up.v1.json%00.json", "/schemas/./level_up.v1.json/../../secret.json");
    HttpClient client = service.vertx.createHttpClient();
    try {
      for (String uri : attempts) {
        // the raw request line, as a client sends it: no client-side normalisation of the path
        // a timeout that covers getting a connection as well as the answer (an idle timeout alone is armed only
        // once a connection is obtained), so a request never answered fails naming its URI instead of hanging the build
        Exchange.Answer answer = Exchange.send(client, new RequestOptions().setMethod(HttpMethod.GET)
                .setPort(service.port).setHost("127.0.0.1").setURI(uri).setTimeout(10_000), null)
            // the request's own timeout ends once the answer's head arrives: this one bounds reading its body too
            .timeout(10, TimeUnit.SECONDS)
            .recover(failure -> Future.failedFuture(new AssertionError(uri + ": " + failure, failure)))
            .await(60, SECONDS);

        assertThat(answer.status()).as(uri).isIn(400, 404);
        assertThat(answer.header("Content-Type")).as(uri).isEqualTo("application/problem+json");
        assertThat(answer.text()).as(uri).doesNotContain("for you").doesNotContain("\"$schema\"");
      }
    } finally {
      client.close();
    }
  }

  @Test
  void theDocumentDescribesTheCustomTypeAndTheServedFiles() throws Exception {
    JsonNode spec = ServedSpec.fetch(service);

    assertThat(spec.at("/components/schemas/level_up.v1/properties/level").toString())
        .isEqualTo("{\"type\":\"integer\",\"minimum\":2}");
    assertThat(spec.at("/components/schemas/Event/anyOf").toString()).contains("#/components/schemas/level_up");
    assertThat(spec.at("/paths/~1v1~1events~1{type}/post/parameters/0/schema/enum").toString())
        .isEqualTo("[\"install\",\"purchase\",\"level_up\"]");
    assertThat(spec.at("/paths/~1schemas~1{type}.v{version}.json/get/parameters/0/schema/enum").toString())
        .isEqualTo("[\"common\",\"install\",\"level_up\",\"purchase\"]");
    assertThat(spec.at("/components/schemas").has("draft.v1")).isFalse();
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return service.client.get(path).send().await(60, SECONDS);
  }

  private static String builtIn(String name) throws IOException {
    try (InputStream in = SchemaFilesTest.class.getClassLoader().getResourceAsStream("schemas/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
