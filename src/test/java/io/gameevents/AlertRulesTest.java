package io.gameevents;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.delivery.Sinks;
import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.support.TestService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * conf/prometheus/alerts.yml is well-formed, every rule says what to do, and every {@code game_events_*}
 * metric its expressions or the dashboard's queries name is exported under that name by a service in
 * process. Vert.x's and the JVM's meters, and the Firehose sink's (which go to Vert.x's registry), exist
 * only in the real process: {@link ExportedMetricsIT} checks every name against the fat jar.
 */
class AlertRulesTest {

  private static String scrape;
  /** notAfter of src/test/resources/tls/member1.pem (2126-11-13T04:32:08Z), as Prometheus prints it. */
  private static final String MEMBER1_NOT_AFTER = "4.950217928E9";

  @BeforeAll
  static void scrapeASpoolingNode() throws Exception {
    scrape = scrapeOfASpoolingNode();
  }

  @Test
  void everyRuleHasASeverityASummaryARunbookAndAnExpressionOverExportedMetrics() throws Exception {
    List<Map<String, Object>> rules = MetricReferences.alertRules();
    for (Map<String, Object> rule : rules) {
      assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
      assertThat(labels(rule, "labels")).as("%s", rule.get("alert")).containsKey("severity");
      assertThat(labels(rule, "labels").get("severity")).isIn("warning", "critical");
      assertThat(labels(rule, "annotations")).as("%s", rule.get("alert"))
          .containsKeys("summary", "description", "runbook");
    }
    Set<String> named = MetricReferences.inExpressions(rules).stream()
        .filter(metric -> metric.startsWith("game_events_")).collect(Collectors.toCollection(TreeSet::new));

    assertThat(rules).extracting(rule -> rule.get("alert")).doesNotHaveDuplicates().contains(
        "GameEventsSpoolGrowing", "GameEventsForwardLagging", "GameEventsSpoolNearlyFull", "GameEventsSpoolPastMaxAge",
        "GameEventsErrorRatioHigh", "GameEventsAckLatencyHigh", "GameEventsInFlightNearBound",
        "GameEventsNoEventsAccepted", "GameEventsDedupForgettingIds", "GameEventsDedupPartitionUnowned",
        "GameEventsHeapNearlyFull", "GameEventsClusterPeersRefused", "GameEventsClusterUnprovenEntries");
    assertThat(named).hasSizeGreaterThan(15);
    for (String metric : named) {
      assertThat(MetricReferences.exported(scrape, metric)).as("%s is exported", metric).isTrue();
    }
    // the bounds the rules compare against carry the configured values (defaults: 1 x 20000, 64)
    assertThat(scrape).contains("game_events_delivery_max_in_flight_events 20000.0\n")
        .contains("game_events_dedup_partitions 64.0\n")
        .contains("game_events_cluster_certificate_expiry_seconds " + MEMBER1_NOT_AFTER + "\n")
        .contains("game_events_cluster_refused_peers_total{reason=\"untrusted_certificate\"} 0.0\n")
        .contains("game_events_cluster_unproven_entries_total{kind=\"owner\"} 0.0\n");
  }

  @Test
  void everyServiceMetricTheDashboardQueriesIsExported() throws Exception {
    Set<String> queried = MetricReferences.inDashboardQueries().stream()
        .filter(metric -> metric.startsWith("game_events_") && !metric.startsWith("game_events_firehose_"))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(queried).hasSizeGreaterThan(15);
    for (String metric : queried) {
      assertThat(MetricReferences.exported(scrape, metric)).as("%s is exported", metric).isTrue();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(Map<String, Object> rule, String key) {
    return (Map<String, Object>) rule.get(key);
  }

  /** What Prometheus would scrape from a node in spool mode that forwarded an event. */
  private static String scrapeOfASpoolingNode() throws Exception {
    Vertx vertx = Vertx.vertx();
    FirehoseDouble firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Sinks.Factory sinks = FirehoseDouble.sinks();
    TestService service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("sink", "firehose").put("firehose", new JsonObject()
          .put("stream_name", FirehoseDouble.STREAM).put("endpoint_override", firehose.endpoint()));
      // the member certificate's expiry is exported whenever cluster.tls is set
      c.put("cluster", new JsonObject().put("tls", TestService.tlsFiles("member1", "ca")));
      return c;
    }, sinks, registry).await(60, SECONDS);
    try {
      assertThat(service.postJson("/v1/events/install", TestService.install(TestService.newId())).await(60, SECONDS)
          .statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> firehose.records().size() == 1);
      // a refusal for content: game_events_refused_total is made by the first one
      assertThat(service.postJson("/v1/events/install", TestService.install(TestService.newId()).put("platform", "?"))
          .await(60, SECONDS).statusCode()).isEqualTo(400);
      return registry.scrape();
    } finally {
      service.stop().await(60, SECONDS);
      firehose.close().await(60, SECONDS);
      vertx.close().await(60, SECONDS);
    }
  }
}
