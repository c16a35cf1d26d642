package io.gameevents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * conf/grafana/game-events.json imports as it is: standard dashboard JSON, no instance-specific
 * datasource (every query goes through the {@code datasource} variable), and a panel for each part of
 * the service. That its metrics exist: {@link AlertRulesTest} and {@link ExportedMetricsIT}; that its
 * queries parse: {@link PromtoolRulesTest}.
 */
class DashboardTest {

  @Test
  void isAStandardDashboardOverADatasourceVariable() throws Exception {
    JsonObject dashboard = MetricReferences.dashboard();

    assertThat(dashboard.getString("title")).isEqualTo("game-events");
    assertThat(dashboard.getString("uid")).isEqualTo("game-events");
    assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.getValue("id")).as("no id of the Grafana it came from").isNull();
    JsonObject datasource = variables(dashboard).filter(v -> v.getString("name").equals("datasource"))
        .findFirst().orElseThrow();
    assertThat(datasource.getString("type")).isEqualTo("datasource");
    assertThat(datasource.getString("query")).isEqualTo("prometheus");

    List<JsonObject> panels = panels(dashboard);
    assertThat(panels).extracting(panel -> panel.getInteger("id")).doesNotHaveDuplicates();
    for (JsonObject panel : panels.stream().filter(p -> !"row".equals(p.getString("type"))).toList()) {
      assertThat(panel.getJsonObject("gridPos").fieldNames()).as(panel.getString("title"))
          .contains("h", "w", "x", "y");
      assertThat(panel.getJsonArray("targets")).as(panel.getString("title")).isNotEmpty();
      assertThat(panel.getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
      for (Object target : panel.getJsonArray("targets")) {
        assertThat(((JsonObject) target).getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void coversRequestsLatencyDeliveryDedupAndSpool() throws Exception {
    assertThat(MetricReferences.inDashboardQueries()).contains(
        "vertx_http_server_requests_total", "game_events_events_total",
        "vertx_http_server_response_time_seconds_bucket",
        "game_events_sink_writes_total", "game_events_sink_write_seconds", "game_events_sink_records_retried_total",
        "game_events_sink_records_not_delivered_total", "game_events_delivery_in_flight_events",
        "game_events_dedup_remembered_ids", "game_events_dedup_forgotten_ids_total",
        "game_events_dedup_owned_partitions", "game_events_spool_bytes", "game_events_spool_oldest_record_age_seconds",
        "jvm_memory_used_bytes");
  }

  private static Stream<JsonObject> variables(JsonObject dashboard) {
    return dashboard.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast);
  }

  private static List<JsonObject> panels(JsonObject dashboard) {
    return flatten(dashboard.getJsonArray("panels")).toList();
  }

  private static Stream<JsonObject> flatten(JsonArray panels) {
    return panels.stream().map(JsonObject.class::cast)
        .flatMap(panel -> Stream.concat(Stream.of(panel), flatten(panel.getJsonArray("panels", new JsonArray()))));
  }
}
