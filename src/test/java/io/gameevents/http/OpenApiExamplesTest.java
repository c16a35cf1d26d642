package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gameevents.http.problem.Reason;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served /openapi.yaml against the running service and the code: every request example is an event the
 * service stores with the dev key (what "Try it out" does), every response example matches its schema, the
 * problem types are the ones the code sends, and the event schemas are the schema files.
 */
class OpenApiExamplesTest extends ServiceTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URN = "urn:game-events:problem:";
  private static final Path SCHEMA_FILES = Path.of("src/main/resources/schemas");

  private JsonNode spec;

  @BeforeEach
  void readServedSpec() throws Exception {
    spec = ServedSpec.fetch(service);
  }

  /** One request example: the operation's path, its body schema and the example's value. */
  private record RequestExample(String path, String name, JsonNode schema, JsonNode value) {
  }

  @Test
  void everyRequestExampleIsStoredByTheServiceWithTheDevKey() throws Exception {
    List<RequestExample> examples = requestExamples();
    assertThat(examples).extracting(RequestExample::path).contains("/v1/events/install", "/v1/events/purchase",
        "/v1/events/{type}", "/v1/events", "/v1/batch");
    Set<String> exampleEventIds = new TreeSet<>();
    for (RequestExample example : examples) {
      assertThat(ServedSpec.errors(spec, example.schema(), example.value()))
          .as("%s %s against its documented schema", example.path(), example.name()).isEmpty();
      String url = example.path().replace("{type}", example.value().path("event_type").asText());
      HttpResponse<Buffer> answer = service.post(url, TestService.KEY)
          .sendBuffer(Buffer.buffer(JSON.writeValueAsBytes(example.value()))).await(60, SECONDS);

      assertThat(answer.statusCode()).as("%s %s: %s", url, example.name(), answer.bodyAsString()).isEqualTo(200);
      assertThat(spec.at("/paths/" + example.path().replace("/", "~1") + "/post/responses").has("200")).isTrue();
      JsonObject body = answer.bodyAsJsonObject();
      if (example.path().equals("/v1/batch")) {
        assertThat(body.getInteger("rejected")).as(body.encode()).isZero();
        assertThat(body.getInteger("accepted") + body.getInteger("duplicates"))
            .isEqualTo(example.value().get("events").size());
        example.value().get("events").forEach(event -> exampleEventIds.add(event.get("event_id").asText()));
      } else {
        assertThat(body.getString("status")).isIn("accepted", "duplicate");
        assertThat(body.getString("event_id")).isEqualTo(example.value().get("event_id").asText());
        exampleEventIds.add(example.value().get("event_id").asText());
      }
    }
    assertThat(new TreeSet<>(service.sinkRecords().stream().map(record -> record.getString("event_id")).toList()))
        .isEqualTo(exampleEventIds);
  }

  /**
   * Decision: example timestamps are fixed, and accepted on any day because each example also carries
   * sent_at: the service then stores receipt time minus (sent_at - occurred_at), and checks that.
   */
  @Test
  void everyExampleEventWithOccurredAtCarriesSentAtSoItStaysValid() {
    List<JsonNode> events = new ArrayList<>();
    for (RequestExample example : requestExamples()) {
      if (example.value().has("events")) {
        example.value().get("events").forEach(events::add);
      } else {
        events.add(example.value());
      }
    }
    assertThat(events).isNotEmpty().allSatisfy(event -> {
      assertThat(event.has("occurred_at")).isTrue();
      assertThat(event.has("sent_at")).as(event.toString()).isTrue();
      assertThat(event.get("app_id").asText()).isEqualTo(TestService.APP);
    });
  }

  @Test
  void everyResponseExampleMatchesItsSchema() {
    List<String> checked = new ArrayList<>();
    walk(spec, node -> {
      if (!(node.get("content") instanceof ObjectNode content) || node.has("required")) {
        return; // only responses: a request body is "required"
      }
      content.fields().forEachRemaining(media -> media.getValue().path("examples").fields().forEachRemaining(named -> {
        JsonNode value = ServedSpec.resolve(spec, named.getValue()).get("value");
        assertThat(ServedSpec.errors(spec, media.getValue().get("schema"), value))
            .as("example %s: %s", named.getKey(), value).isEmpty();
        checked.add(named.getKey());
      }));
    });
    assertThat(checked).contains("invalidEvent", "unknownKey", "originNotAllowed", "rateLimited", "accepted");
  }

  @Test
  void documentedProblemTypesAreExactlyTheOnesTheCodeSends() throws IOException {
    Set<String> documented = new TreeSet<>();
    walk(spec, node -> node.elements().forEachRemaining(child -> {
      if (child.isTextual() && child.textValue().startsWith(URN)) {
        documented.add(child.textValue().substring(URN.length()));
      }
    }));

    Set<String> sent = problemTypesInTheCode();
    assertThat(sent).contains("invalid-event", "rate-limited", "origin-not-allowed", "not-found");
    assertThat(documented).isEqualTo(sent);
  }

  @Test
  void serversIsRelativeSoTryItOutCallsThePortTheDocsCameFrom() {
    assertThat(spec.get("servers").toString()).isEqualTo("[{\"url\":\"/\"}]");
  }

  @Test
  void everyReferenceInTheDocumentResolves() {
    List<String> references = new ArrayList<>();
    walk(spec, node -> {
      if (node.get("$ref") != null && node.get("$ref").isTextual()) {
        String reference = node.get("$ref").textValue();
        references.add(reference);
        assertThat(reference).startsWith("#/");
        assertThat(spec.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
      }
    });
    assertThat(references).contains("#/components/schemas/common.v1.currency", "#/components/schemas/purchase");
  }

  /** The document and the files must not disagree: each component, its references mapped back, is the file. */
  @Test
  void theEventSchemasAreTheSchemaFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(SCHEMA_FILES)) {
      files = listed.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).extracting(file -> file.getFileName().toString())
        .contains("common.v1.json", "install.v1.json", "purchase.v1.json");
    JsonNode components = spec.at("/components/schemas");
    for (Path file : files) {
      String stem = file.getFileName().toString().replace(".json", "");
      ObjectNode schema = (ObjectNode) JSON.readTree(file.toFile());
      schema.remove(List.of("$schema", "$id"));
      JsonNode defs = schema.remove("$defs");
      if (defs != null) {
        defs.fields().forEachRemaining(def -> assertThat(asInFile(components.get(stem + "." + def.getKey()), stem))
            .as("%s $defs/%s", file, def.getKey()).isEqualTo(def.getValue()));
      }
      if (!Set.of("title", "$comment", "description").containsAll(fieldNames(schema))) {
        assertThat(asInFile(components.get(stem), stem)).as(file.toString()).isEqualTo(schema);
      }
    }
    assertThat(components.get("install").toString()).isEqualTo("{\"$ref\":\"#/components/schemas/install.v1\"}");
  }

  /** Events the schema files reject are rejected by the document's schemas too, and by the service. */
  @Test
  void theDocumentRejectsWhatTheServiceRejects() throws Exception {
    JsonNode purchase = JSON.createObjectNode().put("$ref", "#/components/schemas/purchase");
    List<JsonObject> wrong = List.of(
        TestService.purchase(TestService.newId()).put("quantity", 0),
        TestService.purchase(TestService.newId()).put("currency", "XYZ"),
        TestService.purchase(TestService.newId()).put("colour", "blue"),
        TestService.purchase(TestService.newId()).put("occurred_at", "yesterday"),
        TestService.purchase(TestService.newId()).put("platform", "toaster"));
    for (JsonObject event : wrong) {
      assertThat(ServedSpec.errors(spec, purchase, tree(event))).as(event.encode()).isNotEmpty();
      assertThat(service.postJson("/v1/events/purchase", event).await(60, SECONDS).statusCode()).as(event.encode()).isEqualTo(400);
    }
    JsonObject right = TestService.purchase(TestService.newId());
    assertThat(ServedSpec.errors(spec, purchase, tree(right))).isEmpty();
    assertThat(service.postJson("/v1/events/purchase", right).await(60, SECONDS).statusCode()).isEqualTo(200);
  }

  private List<RequestExample> requestExamples() {
    List<RequestExample> examples = new ArrayList<>();
    spec.get("paths").fields().forEachRemaining(path -> {
      JsonNode body = path.getValue().path("post").path("requestBody");
      // an operators' endpoint takes no event (privacy requests, replay): each is checked by its own test (ReplayTest,
      // PrivacyRequestsHttpTest)
      boolean operators = path.getValue().path("post").path("tags").toString().contains("operators");
      if (body.isMissingNode() || operators) {
        return;
      }
      JsonNode json = ServedSpec.resolve(spec, body).at("/content/application~1json");
      assertThat(json.has("examples")).as("%s has examples", path.getKey()).isTrue();
      json.get("examples").fields().forEachRemaining(named -> examples.add(new RequestExample(path.getKey(),
          named.getKey(), json.get("schema"), ServedSpec.resolve(spec, named.getValue()).get("value"))));
    });
    return examples;
  }

  /**
   * The code's problem types: those of the {@link Reason}s the code names ({@code Reason.RATE_LIMITED}),
   * so a reason the table keeps but nothing sends, or one the document forgets, shows here.
   */
  static Set<String> problemTypesInTheCode() throws IOException {
    Pattern named = Pattern.compile("\\bReason\\.([A-Z][A-Z_]*)\\b");
    Set<String> reasons = new TreeSet<>();
    for (Reason reason : Reason.values()) {
      reasons.add(reason.name());
    }
    Set<String> types = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
      sources = walk.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.getFileName().toString().equals("Reason.java")).toList();
    }
    for (Path source : sources) {
      for (Matcher names = named.matcher(Files.readString(source)); names.find(); ) {
        if (reasons.contains(names.group(1))) {
          types.add(Reason.valueOf(names.group(1)).type());
        }
      }
    }
    return types;
  }

  /** A served component with its references as the schema files write them. */
  private static JsonNode asInFile(JsonNode component, String stem) {
    assertThat(component).as("component for %s", stem).isNotNull();
    String text = component.toString();
    Matcher references = Pattern.compile("\"#/components/schemas/([A-Za-z0-9_-]+\\.v[0-9]+)(?:\\.([^\"/]+))?([^\"]*)\"")
        .matcher(text);
    StringBuilder original = new StringBuilder();
    while (references.find()) {
      String file = references.group(1).equals(stem) ? "" : references.group(1) + ".json";
      String pointer = (references.group(2) == null ? "" : "/$defs/" + references.group(2)) + references.group(3);
      references.appendReplacement(original, Matcher.quoteReplacement("\"" + file + "#" + pointer + "\""));
    }
    references.appendTail(original);
    return tree(original.toString());
  }

  private static void walk(JsonNode node, Consumer<JsonNode> visit) {
    visit.accept(node);
    node.elements().forEachRemaining(child -> walk(child, visit));
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode tree(JsonObject event) {
    return tree(event.encode());
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
