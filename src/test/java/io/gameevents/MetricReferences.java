package io.gameevents;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names the shipped alert rules refer to, and whether a scrape has them. */
final class MetricReferences {

  static final Path RULES = Path.of("conf/prometheus/alerts.yml");
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
