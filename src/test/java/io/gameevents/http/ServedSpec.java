package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The /openapi.yaml a running service serves, and checks of values against its schemas. */
final class ServedSpec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServedSpec() {
  }

  static JsonNode fetch(TestService service) throws Exception {
    HttpResponse<Buffer> response = service.client.get("/openapi.yaml").send().await(60, SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/yaml");
    try {
      return new YAMLMapper().readTree(response.bodyAsString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Follows {@code $ref}s within the document ({@code #/components/examples/Install}) to the node itself. */
  static JsonNode resolve(JsonNode spec, JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
      String reference = current.get("$ref").asText();
      assertThat(reference).startsWith("#/");
      current = spec.at(reference.substring(1));
      assertThat(current.isMissingNode()).as("%s resolves", reference).isFalse();
    }
    return current;
  }

  /**
   * The errors of {@code value} against {@code schema} (a schema node of the document), with the document's
   * components as {@code $defs}. Formats (date-time) are asserted, as the service's validator does.
   */
  static List<Error> errors(JsonNode spec, JsonNode schema, JsonNode value) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(JSON.writeValueAsString(schema)
          .replace("#/components/schemas/", "#/$defs/"));
      root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      root.set("$defs", JSON.readTree(JSON.writeValueAsString(spec.at("/components/schemas"))
          .replace("#/components/schemas/", "#/$defs/")));
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
              .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
          .getSchema(root).validate(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of {@code response} matches the component {@code name}. */
  static void assertMatches(JsonNode spec, String component, HttpResponse<Buffer> response) throws IOException {
    JsonNode body = JSON.readTree(response.bodyAsString());
    JsonNode schema = JSON.createObjectNode().put("$ref", "#/components/schemas/" + component);
    assertThat(errors(spec, schema, body)).as("%s against %s", body, component).isEmpty();
  }
}
