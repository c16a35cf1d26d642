package io.gameevents.privacyrequests;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.suppression.SubjectDigest;
import io.gameevents.suppression.SuppressionList;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Erase orchestration with fake stores: a store that fails once is run again, and a restart resumes a request. */
@ExtendWith(VertxExtension.class)
class PrivacyRequestsTest {

  private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Subject PLAYER = new Subject("com.game.test", Subject.Kind.PLAYER, "player_42");

  @TempDir
  Path dir;

  /** Removes the subject's "records" once; fails its first {@code failures} runs. */
  private static final class FakeStore implements ErasableStore {
    final AtomicInteger runs = new AtomicInteger();
    final int failures;

    FakeStore(int failures) {
      this.failures = failures;
    }

    @Override
    public String name() {
      return "lake";
    }

    @Override
    public StoreReceipt erase(Subject subject) throws IOException {
      if (runs.incrementAndGet() <= failures) {
        throw new IOException("disk full");
      }
      assertThat(subject.id()).isEqualTo("player_42");
      return new StoreReceipt("lake", 3, 1, Instant.now(), "");
    }
  }

  private PrivacyRequests requests(Vertx vertx, SuppressionList list, ErasableStore store) throws Exception {
    PrivacyRequests requests = new PrivacyRequests(vertx, dir, list,
        new LocalNodes(vertx, "node-a", new NodeStores(List.of(store), true, Clock.systemUTC())), Clock.systemUTC(), 50);
    requests.start().await(60, SECONDS);
    return requests;
  }

  private static JsonObject waitCompleted(PrivacyRequests requests, String id) {
    await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(requests.report(id).getString("state")));
    return requests.report(id);
  }

  @Test
  void aStoreThatFailsOnceIsRunAgainAndTheReceiptListsTheNodeAndEachStore(Vertx vertx) throws Exception {
    SuppressionList list = SuppressionList.open(dir, new SubjectDigest(KEY));
    FakeStore store = new FakeStore(1);
    PrivacyRequests requests = requests(vertx, list, store);

    var submitted = requests.submit(new PrivacyRequests.Submission("r-1", RequestType.ERASE, PLAYER)).await(60, SECONDS);
    assertThat(submitted).isInstanceOf(PrivacyRequests.Accepted.class);
    assertThat(list.suppressed("com.game.test", "player_42", null)).as("suppressed from the 202 on").isTrue();

    JsonObject report = waitCompleted(requests, "r-1");
    assertThat(store.runs.get()).isEqualTo(2);
    JsonObject node = report.getJsonArray("nodes").getJsonObject(0);
    assertThat(node.getString("node")).isEqualTo("node-a");
    assertThat(node.getJsonArray("stores").getJsonObject(0).getLong("records_removed")).isEqualTo(3L);
    assertThat(node.getJsonArray("stores").getJsonObject(1).getString("store")).isEqualTo("dedup-journal");
    assertThat(Files.readString(dir.resolve("requests").resolve("r-1.json"))).doesNotContain("player_42");
  }

  @Test
  void aRequestPendingAtARestartResumesAndCompletes(Vertx vertx) throws Exception {
    SuppressionList list = SuppressionList.open(dir, new SubjectDigest(KEY));
    FakeStore failing = new FakeStore(Integer.MAX_VALUE);
    PrivacyRequests before = requests(vertx, list, failing);
    before.submit(new PrivacyRequests.Submission("r-2", RequestType.ERASE, PLAYER)).await(60, SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> failing.runs.get() >= 1
        && !before.report("r-2").getJsonArray("nodes").getJsonObject(0).getString("last_error", "").isEmpty());
    assertThat(Files.readString(dir.resolve("requests").resolve("r-2.json"))).as("kept while pending")
        .contains("player_42");
    before.close();
    list.close();

    // the node restarts: a new list and a new request keeper on the same directory
    SuppressionList reloaded = SuppressionList.open(dir, new SubjectDigest(KEY));
    FakeStore working = new FakeStore(0);
    PrivacyRequests after = requests(vertx, reloaded, working);
    JsonObject report = waitCompleted(after, "r-2");
    assertThat(working.runs.get()).isEqualTo(1);
    assertThat(report.getJsonArray("pending")).isEmpty();
    assertThat(reloaded.suppressed("com.game.test", "player_42", null)).isTrue();
    assertThat(Files.readString(dir.resolve("requests").resolve("r-2.json"))).doesNotContain("player_42");
  }
}
