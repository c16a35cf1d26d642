package io.gameevents.http.problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reason table and the OpenAPI document say the same thing: the same problem types, each with the
 * status the document gives it, and every example answer in the document is one the table would send.
 */
class ReasonTableTest {

  /** A type in the Problem schema's description: {@code `rate-limited` (429)}. */
  private static final Pattern DOCUMENTED_STATUS = Pattern.compile("`([a-z-]+)` \\((\\d{3})\\)");

  private static JsonNode document;

  @BeforeAll
  static void readDocument() throws Exception {
    try (InputStream in = ReasonTableTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      document = new YAMLMapper().readTree(in);
    }
  }

  @Test
  void everyReasonHasAnErrorStatusATypeAndATitle() {
    for (Reason reason : Reason.values()) {
      assertThat(reason.status()).as(reason.name()).isBetween(400, 599);
      assertThat(reason.type()).as(reason.name()).matches("[a-z]+(-[a-z]+)*");
      assertThat(reason.typeUri()).isEqualTo("urn:game-events:problem:" + reason.type());
      assertThat(reason.title()).as(reason.name()).isNotBlank().doesNotEndWith(".");
      if (reason.promise() != null) {
        assertThat(reason.promise()).as(reason.name()).matches("[A-Z].*\\.");
      }
    }
  }

  @Test
  void reasonsSharingATypeShareItsStatus() {
    Map<String, Integer> statusOfType = new HashMap<>();
    for (Reason reason : Reason.values()) {
      Integer earlier = statusOfType.putIfAbsent(reason.type(), reason.status());
      assertThat(earlier == null ? reason.status() : earlier).as(reason.type()).isEqualTo(reason.status());
    }
  }

  @Test
  void theDocumentListsExactlyTheTableTypes() {
    Set<String> documented = new TreeSet<>();
    problemType().get("enum").forEach(type -> documented.add(type.asText()));
    Set<String> table = new TreeSet<>();
    Arrays.stream(Reason.values()).forEach(reason -> table.add(reason.typeUri()));
    assertThat(table).isEqualTo(documented);
  }

  @Test
  void theDocumentGivesEachTypeTheTableStatus() {
    Map<String, Integer> documented = new HashMap<>();
    Matcher matcher = DOCUMENTED_STATUS.matcher(problemType().get("description").asText());
    while (matcher.find()) {
      documented.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }
    Map<String, Integer> table = new HashMap<>();
    Arrays.stream(Reason.values()).forEach(reason -> table.put(reason.type(), reason.status()));
    assertThat(documented).isEqualTo(table);
  }

  @Test
  void everyDocumentedExampleProblemIsOneTheTableSends() {
    List<JsonNode> examples = new ArrayList<>();
    collectProblems(document, examples);
    assertThat(examples).hasSizeGreaterThan(10);
    for (JsonNode example : examples) {
      assertThat(Arrays.stream(Reason.values()).anyMatch(reason -> reason.typeUri().equals(example.get("type").asText())
          && reason.title().equals(example.path("title").asText())
          && reason.status() == example.path("status").asInt())).as(example.toString()).isTrue();
    }
  }

  private static JsonNode problemType() {
    return document.at("/components/schemas/Problem/properties/type");
  }

  private static void collectProblems(JsonNode node, List<JsonNode> found) {
    if (node.isObject() && node.path("type").asText().startsWith(Reason.TYPE_PREFIX)) {
      found.add(node);
    }
    node.forEach(child -> collectProblems(child, found));
  }
}
