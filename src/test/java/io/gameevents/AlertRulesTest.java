package io.gameevents;

import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseSink;
import io.gameevents.delivery.firehose.FirehoseSinkType;
import io.gameevents.support.TestService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** conf/prometheus/alerts.yml is well-formed, and every metric it names is exported under that name. */
class AlertRulesTest {

  private static final Path RULES = Path.of("conf/prometheus/alerts.yml");
  private static final Pattern METRIC = Pattern.compile("\\bgame_events_[a-z_]+");

  @Test
  @SuppressWarnings("unchecked")
  void everyRuleHasASeverityASummaryAndAnExpressionOverExportedMetrics() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(RULES));
    List<Map<String, Object>> rules = ((List<Map<String, Object>>) file.get("groups")).stream()
        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
    Set<String> named = new TreeSet<>();
    for (Map<String, Object> rule : rules) {
      assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
      assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
      assertThat((Map<String, Object>) rule.get("annotations")).containsKeys("summary", "description");
      Matcher metric = METRIC.matcher(String.valueOf(rule.get("expr")));
      while (metric.find()) {
        named.add(metric.group());
      }
    }

    String scrape = scrapeOfASpoolingNode();

    assertThat(rules).extracting(rule -> rule.get("alert")).contains("GameEventsSpoolGrowing",
        "GameEventsForwardLagging", "GameEventsSpoolNearlyFull", "GameEventsSpoolPastMaxAge");
    assertThat(named).hasSizeGreaterThan(5);
    for (String metric : named) {
      assertThat(Pattern.compile("(?m)^" + metric + "[{ ]").matcher(scrape).find())
          .as("%s is exported", metric).isTrue();
    }
  }

  /** What Prometheus would scrape from a node in spool mode that forwarded an event. */
  private static String scrapeOfASpoolingNode() throws Exception {
    Vertx vertx = Vertx.vertx();
    FirehoseDouble firehose = FirehoseDouble.start(vertx).await();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t"));
    Sinks.Factory sinks = (v, config, meters) ->
        new FirehoseSink(v, config.settings(FirehoseSinkType.TYPE), credentials);
    TestService service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("sink", "firehose").put("firehose", new JsonObject()
          .put("stream_name", FirehoseDouble.STREAM).put("endpoint_override", firehose.endpoint()));
      return c;
    }, sinks, registry).await();
    try {
      assertThat(service.postJson("/v1/events/install", TestService.install(TestService.newId())).await()
          .statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> firehose.records().size() == 1);
      return registry.scrape();
    } finally {
      service.stop().await();
      firehose.close().await();
      vertx.close().await();
    }
  }
}
