package io.gameevents.forward;

import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.delivery.firehose.FirehoseDouble.Outage;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Firehose and {@code delivery.ack = spool}, the ids the dedup journal lacks at start-up (as after a kill -9
 * within {@code dedup.journal_flush_ms}) come back from the spool's segments still on disk.
 */
class SpoolReadBackTest {

  @TempDir
  Path data;
  private Vertx vertx;
  private FirehoseDouble firehose;

  @BeforeEach
  void startDouble() throws Exception {
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    firehose.outage(Outage.UNAVAILABLE).await(60, SECONDS); // the segments stay in the spool
  }

  @AfterEach
  void stopAll() throws Exception {
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
  }

  @Test
  void idsTheJournalLacksAtStartUpAreReadBackFromTheSpoolsSegments() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(install(newId()));
    }
    TestService first = start();
    assertThat(statuses(first, events)).containsOnly("accepted");
    first.stop().await(60, SECONDS);
    try (var files = Files.walk(data.resolve("dedup"))) {
      for (Path slice : files.filter(f -> f.toString().endsWith(".ids")).toList()) {
        Files.delete(slice); // what a kill -9 before the journal was written leaves: the records, not their ids
      }
    }

    TestService second = start();
    assertThat(statuses(second, events)).containsOnly("duplicate");
    second.stop().await(60, SECONDS);
    assertThat(firehose.records()).isEmpty();
  }

  private TestService start() throws Exception {
    return TestService.start(vertx, c -> {
      c.getJsonObject("dedup").put("directory", data.resolve("dedup").toString());
      c.getJsonObject("spool").put("directory", data.resolve("spool").toString());
      c.getJsonObject("delivery").put("sink", "firehose")
          .put("firehose", new JsonObject().put("stream_name", FirehoseDouble.STREAM)
              .put("endpoint_override", firehose.endpoint()).put("max_concurrent_calls", 1)
              .put("retry_base_ms", 10).put("retry_max_ms", 500).put("describe_interval_ms", 1000));
      return c;
    }, FirehoseDouble.sinks()).await(60, SECONDS);
  }

  private static List<String> statuses(TestService service, List<JsonObject> events) {
    HttpResponse<Buffer> response = io.gameevents.support.Waits.done(service.postJson("/v1/batch",
        new JsonObject().put("events", new JsonArray(new ArrayList<>(events)))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    List<String> statuses = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("results").forEach(r -> statuses.add(((JsonObject) r).getString("status")));
    return statuses;
  }
}
