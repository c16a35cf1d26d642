package io.gameevents.dedup.storage;

import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service end of {@link SinkRebuild}: ids the journal lacks at start-up (as after a kill -9 within
 * {@code dedup.journal_flush_ms}, which CrashDedupIT does to the jar) come back from the file sink's files, and each
 * running dedup instance keeps its durable mark moving.
 */
class SinkReadBackTest {

  @TempDir
  Path data;

  @Test
  void idsTheJournalLacksAtStartUpAreReadBackFromTheSinksFiles() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(install(newId()));
    }
    Vertx vertx = Vertx.vertx();
    try {
      TestService first = get(TestService.start(vertx, onDisk()));
      assertThat(statuses(first, events)).containsOnly("accepted");
      get(first.stop());
      // what a kill -9 before the journal was written leaves: the records, not their ids
      try (var files = Files.walk(data.resolve("dedup"))) {
        for (Path slice : files.filter(f -> f.toString().endsWith(DedupJournal.SUFFIX)).toList()) {
          Files.delete(slice);
        }
      }

      TestService second = get(TestService.start(vertx, onDisk()));
      assertThat(statuses(second, events)).containsOnly("duplicate");
      assertThat(TestService.SinkFiles.records(data.resolve("events"))).hasSize(events.size());
      get(second.stop());
    } finally {
      get(vertx.close());
    }
  }

  @Test
  void everyDedupInstanceMarksHowFarItsJournalIsDurable() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestService service = get(TestService.start(vertx, onDisk().andThen(c -> {
        c.getJsonObject("dedup").put("instances", 2).put("journal_flush_ms", 20).put("journal_fsync_ms", 40);
        return c;
      })::apply));
      long accepted = System.currentTimeMillis();
      assertThat(statuses(service, List.of(install(newId()), install(newId())))).containsOnly("accepted");
      await().atMost(Duration.ofSeconds(30)).until(() -> JournalMark.oldest(data.resolve("dedup")).orElse(0) > accepted);
      try (var marks = Files.list(data.resolve("dedup"))) {
        assertThat(marks.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(JournalMark.PREFIX)))
            .containsExactlyInAnyOrder(JournalMark.PREFIX + "0", JournalMark.PREFIX + "1");
      }
      get(service.stop());
    } finally {
      get(vertx.close());
    }
  }

  private UnaryOperator<JsonObject> onDisk() {
    return c -> {
      c.getJsonObject("dedup").put("directory", data.resolve("dedup").toString());
      c.getJsonObject("delivery").getJsonObject("file").put("directory", data.resolve("events").toString());
      return c;
    };
  }

  private static List<String> statuses(TestService service, List<JsonObject> events) throws Exception {
    List<String> statuses = new ArrayList<>();
    for (JsonObject event : events) {
      var response = get(service.postJson("/v1/events/install", event));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      statuses.add(response.bodyAsJsonObject().getString("status"));
    }
    return statuses;
  }

  private static <T> T get(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
