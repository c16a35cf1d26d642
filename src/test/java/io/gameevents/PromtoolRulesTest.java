package io.gameevents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus's own checks of the shipped rules: {@code promtool check rules} (syntax, PromQL, templates)
 * and {@code promtool test rules} (alerts.test.yml: rules firing, and not, on synthetic series); and
 * of the dashboard's queries.
 * Skipped, saying so, where promtool is not installed; CI installs it and sets
 * {@code GAME_EVENTS_REQUIRE_PROMTOOL=true}, so there a missing promtool fails instead.
 */
class PromtoolRulesTest {

  private static final Path TESTS = Path.of("conf/prometheus/alerts.test.yml");

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    assertThat(promtool("check", "rules", MetricReferences.RULES.toString())).contains("SUCCESS");
  }

  @Test
  void theRuleTestsPass() throws Exception {
    assertThat(promtool("test", "rules", TESTS.toString())).contains("SUCCESS");
  }

  /**
   * Each dashboard query, its Grafana variables given plain values, as a recording rule: promtool's
   * parser then checks the PromQL that Grafana would send.
   */
  @Test
  void theDashboardQueriesParse(@TempDir Path dir) throws Exception {
    JsonArray rules = new JsonArray();
    List<String> queries = MetricReferences.dashboardQueries();
    for (int i = 0; i < queries.size(); i++) {
      String expr = queries.get(i).replace("$__rate_interval", "5m").replace("$instance", ".*").replace("$job", ".*");
      rules.add(new JsonObject().put("record", "dashboard:query_" + i).put("expr", expr));
    }
    Path file = dir.resolve("dashboard-queries.yml"); // JSON is YAML
    Files.writeString(file, new JsonObject().put("groups", new JsonArray()
        .add(new JsonObject().put("name", "dashboard").put("rules", rules))).encode());

    assertThat(promtool("check", "rules", file.toString())).contains("SUCCESS: " + queries.size() + " rules found");
  }

  /** The test file keeps testing something: at least three alerts that fire, and one moment one must not. */
  @Test
  @SuppressWarnings("unchecked")
  void theRuleTestsFireThreeAlertsAndCheckOneThatDoesNot() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(TESTS));
    Set<String> firing = new TreeSet<>();
    List<String> silent = new ArrayList<>();
    for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
      for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
        List<?> expected = (List<?>) check.get("exp_alerts");
        (expected == null || expected.isEmpty() ? silent : firing).add(String.valueOf(check.get("alertname")));
      }
    }
    assertThat(firing).hasSizeGreaterThanOrEqualTo(3);
    assertThat(silent).isNotEmpty();
    assertThat(MetricReferences.alertRules()).extracting(rule -> String.valueOf(rule.get("alert")))
        .containsAll(firing).containsAll(silent);
  }

  private static String promtool(String... arguments) throws Exception {
    Optional<Path> promtool = onPath("promtool");
    boolean required = "true".equals(System.getenv("GAME_EVENTS_REQUIRE_PROMTOOL"));
    if (required) {
      assertThat(promtool).as("promtool on PATH (GAME_EVENTS_REQUIRE_PROMTOOL is true)").isPresent();
    }
    assumeTrue(promtool.isPresent(), "promtool is not installed (Debian: apt-get install prometheus), so "
        + "`promtool " + String.join(" ", arguments) + "` is skipped");
    List<String> command = new ArrayList<>(List.of(promtool.get().toString()));
    command.addAll(Arrays.asList(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
    return output;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator)).map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable).findFirst();
  }
}
