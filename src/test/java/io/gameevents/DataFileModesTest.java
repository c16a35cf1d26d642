package io.gameevents;

import io.gameevents.support.ServiceTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data the service writes (event files, the dedup journal, lock files) is its user's alone: files 0600 and the
 * directories it creates 0700, whatever the umask it runs under (the expectations are exact modes, not the umask's).
 */
class DataFileModesTest extends ServiceTestBase {

  @Test
  void eventsJournalAndLockFilesAreTheServiceUsersAlone() throws Exception {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 20; i++) {
      events.add(install(newId()));
    }
    assertThat(service.postJson("/v1/batch", new JsonObject().put("events", events)).await(10, TimeUnit.SECONDS)
        .statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.sinkRecords().size() == 20);
    await().atMost(Duration.ofSeconds(10)).until(() -> !filesUnder(service.dataDir.resolve("dedup")).isEmpty());

    List<Path> created;
    try (Stream<Path> all = Files.walk(service.dataDir)) {
      created = all.filter(p -> !p.equals(service.dataDir)).toList();
    }
    assertThat(created).filteredOn(p -> p.getFileName().toString().endsWith(".lock")).isNotEmpty();
    assertThat(filesUnder(service.dataDir.resolve("events"))).isNotEmpty();
    for (Path path : created) {
      String expected = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)))
          .as(service.dataDir.relativize(path).toString()).isEqualTo(expected);
    }
  }

  private static List<Path> filesUnder(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
