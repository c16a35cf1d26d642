package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.support.ServiceTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The /openapi.yaml a running service serves passes Redocly CLI's recommended rules with no error and no warning
 * (the template alone cannot be linted: its event schemas are filled in at start-up). Runs when {@code redocly} is
 * on the PATH; {@code .ci/run} installs it and sets {@code GAME_EVENTS_REQUIRE_REDOCLY=true}, so there a missing CLI
 * fails instead of skipping. Also: every operation has a tag, so Swagger UI groups them instead of listing all under
 * "default".
 */
class RedoclyLintTest extends ServiceTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theServedDocumentPassesTheRecommendedRulesWithoutAWarning(@TempDir Path dir) throws Exception {
    Optional<Path> redocly = onPath("redocly");
    if ("true".equals(System.getenv("GAME_EVENTS_REQUIRE_REDOCLY"))) {
      assertThat(redocly).as("redocly on PATH (GAME_EVENTS_REQUIRE_REDOCLY is true)").isPresent();
    }
    assumeTrue(redocly.isPresent(), "Redocly CLI is not installed (npm install @redocly/cli@2.77.0), so the lint of "
        + "/openapi.yaml is skipped");
    Path document = dir.resolve("openapi.yaml");
    Files.writeString(document, served());

    Process process = new ProcessBuilder(redocly.get().toString(), "lint", "--format=json", document.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("redocly finished").isTrue();
    JsonNode report = JSON.readTree(output.substring(output.indexOf('{')));
    List<String> problems = new ArrayList<>();
    report.path("problems").forEach(problem -> problems.add(problem.path("severity").asText() + " "
        + problem.path("ruleId").asText() + ": " + problem.path("message").asText() + " at "
        + problem.path("location").path(0).path("pointer").asText()));
    assertThat(problems).as("redocly lint of the served /openapi.yaml").isEmpty();
    assertThat(report.path("totals").path("errors").asInt()).isZero();
    assertThat(report.path("totals").path("warnings").asInt()).isZero();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void everyOperationHasATagThatTheDocumentDeclares() throws Exception {
    JsonNode spec = ServedSpec.fetch(service);
    List<String> declared = new ArrayList<>();
    spec.path("tags").forEach(tag -> declared.add(tag.path("name").asText()));
    List<String> untagged = new ArrayList<>();
    spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
      JsonNode tags = operation.getValue().path("tags");
      if (!operation.getKey().equals("parameters") && (tags.isEmpty()
          || !declared.contains(tags.path(0).asText()))) {
        untagged.add(operation.getKey().toUpperCase() + " " + path.getKey());
      }
    }));
    assertThat(declared).isNotEmpty();
    assertThat(untagged).isEmpty();
  }

  private String served() throws Exception {
    HttpResponse<Buffer> response = service.client.get("/openapi.yaml").send().await(60, SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsString();
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator)).map(directory -> Path.of(directory, program))
        .filter(Files::isExecutable).findFirst();
  }
}
