package io.gameevents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the shipped alert rules and dashboard refer to, and whether a scrape has them. */
final class MetricReferences {

  static final Path RULES = Path.of("conf/prometheus/alerts.yml");
  static final Path DASHBOARD = Path.of("conf/grafana/game-events.json");
  /** The service's, Vert.x's and the JVM's meters, as Prometheus names them. */
  private static final Pattern METRIC = Pattern.compile("\\b(?:game_events|vertx|jvm)_[a-z0-9_]*[a-z0-9]");

  private MetricReferences() {
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> alertRules() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(RULES));
    return ((List<Map<String, Object>>) file.get("groups")).stream()
        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
  }

  static Set<String> inExpressions(List<Map<String, Object>> rules) {
    Set<String> names = new TreeSet<>();
    rules.forEach(rule -> names.addAll(in(String.valueOf(rule.get("expr")))));
    return names;
  }

  static JsonObject dashboard() throws IOException {
    return new JsonObject(Files.readString(DASHBOARD));
  }

  /** The panels' queries, rows and nested panels included. */
  static List<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    collectQueries(dashboard().getJsonArray("panels"), queries);
    return queries;
  }

  /** Names in the panels' queries and the template variables' (label_values(...)). */
  static Set<String> inDashboardQueries() throws IOException {
    Set<String> names = new TreeSet<>();
    dashboardQueries().forEach(query -> names.addAll(in(query)));
    dashboard().getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast)
        .filter(variable -> variable.getValue("definition") != null)
        .forEach(variable -> names.addAll(in(variable.getString("definition"))));
    return names;
  }

  private static void collectQueries(JsonArray panels, List<String> queries) {
    for (Object item : panels == null ? new JsonArray() : panels) {
      JsonObject panel = (JsonObject) item;
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        queries.add(((JsonObject) target).getString("expr"));
      }
      collectQueries(panel.getJsonArray("panels"), queries);
    }
  }

  /** Every name mentioned anywhere in the file: expressions, and the runbooks and descriptions that name meters. */
  static Set<String> inFile(Path file) throws IOException {
    return in(Files.readString(file));
  }

  static Set<String> in(String text) {
    Set<String> names = new TreeSet<>();
    Matcher metric = METRIC.matcher(text);
    while (metric.find()) {
      names.add(metric.group());
    }
    return names;
  }

  /** A sample of the metric, under exactly that name (a histogram's _bucket, _sum and _count are their own names). */
  static boolean exported(String scrape, String metric) {
    return Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(scrape).find();
  }
}
