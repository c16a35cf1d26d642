package io.gameevents.dedup.storage;

import ch.qos.logback.classic.Level;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single node restarted on the same data directory still knows the ids it stored: a retry is a duplicate.
 * Its dedup key is its own, created 0600 beside the journal on first start and reused after; a journal that
 * the unkeyed version wrote is dropped with one WARN.
 */
class WindowSurvivesRestartTest {

  @TempDir
  Path data;

  @Test
  void aRetryAcrossARestartIsADuplicate() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(install(newId()));
    }
    Vertx vertx = Vertx.vertx();
    try {
      TestService first = get(TestService.start(vertx, onDisk()));
      assertThat(statuses(first, events)).containsOnly("accepted");
      get(first.stop());
      Path keyFile = data.resolve("dedup").resolve("hash.key");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
      String key = Files.readString(keyFile);

      TestService second = get(TestService.start(vertx, onDisk()));
      assertThat(statuses(second, events)).containsOnly("duplicate");
      assertThat(Files.readString(keyFile)).isEqualTo(key);
      assertThat(TestService.SinkFiles.records(data.resolve("events"))).hasSize(events.size());
      get(second.stop());
    } finally {
      get(vertx.close());
    }
  }

  @Test
  void aJournalOfTheUnkeyedVersionIsDroppedWithOneWarning() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(install(newId()));
    }
    Vertx vertx = Vertx.vertx();
    try {
      TestService first = get(TestService.start(vertx, onDisk()));
      assertThat(statuses(first, events)).containsOnly("accepted");
      get(first.stop());
      // what the unkeyed version left: slice files, no identity and no key file
      Files.delete(data.resolve("dedup").resolve("journal.identity"));
      Files.delete(data.resolve("dedup").resolve("hash.key"));

      try (CapturedLog log = CapturedLog.open(Level.INFO, DedupIdentity.class.getName())) {
        TestService second = get(TestService.start(vertx, onDisk()));
        assertThat(log.lines()).filteredOn(line -> "WARN".equals(line.getString("level")))
            .extracting(line -> line.getString("message")).singleElement().asString()
            .startsWith("dedup window restarts: the journal in ").contains("was written by an older version");
        assertThat(statuses(second, events)).as("the old window is gone").containsOnly("accepted");
        get(second.stop());
      }
      assertThat(TestService.SinkFiles.records(data.resolve("events"))).hasSize(2 * events.size());
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
