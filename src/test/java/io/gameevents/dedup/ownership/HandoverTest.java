package io.gameevents.dedup.ownership;

import io.gameevents.dedup.storage.BucketedDedupStore;
import io.gameevents.dedup.storage.DedupJournal;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A partition's committed ids move from its previous owner to the next one over the event bus (on one Vert.x here:
 * the protocol, not the cluster): every id arrives, the ones the taker lacked are journalled, and the serving side
 * stops once the taker says it holds them all, or after its linger when nobody ever does.
 */
@ExtendWith(VertxExtension.class)
class HandoverTest {

  private static final long DAY = 86_400_000L;
  /** Three pages: two full ones and a short last one. */
  private static final int IDS = 2 * Handover.PAGE_IDS + 123;

  @TempDir
  Path journalDirectory;

  @Test
  void theTakerGetsEveryIdOverSeveralPagesAndJournalsOnlyThoseItLacked(Vertx vertx) throws Exception {
    BucketedDedupStore previous = storeWith(IDS);
    BucketedDedupStore next = store();
    next.remember(hi(7), lo(7)); // already held: restored again would be journalled twice
    try (DedupJournal journal = DedupJournal.open(journalDirectory, next.sliceMillis(), DAY)) {
      // a linger far longer than the test's bound on the end of serving: serving must end because the taker said so
      Future<Void> serving = Handover.serve(vertx, "token-1", previous, 600_000, () -> true).await(60, SECONDS);

      long restored = Handover.fetch(vertx, "token-1", next, journal, () -> true).await(60, SECONDS);

      assertThat(restored).isEqualTo(IDS - 1);
      assertThat(missing(next, IDS)).isZero();
      assertThat(next.size()).isEqualTo(IDS);
      assertThat(journal.pending()).isEqualTo(IDS - 1);
      serving.await(30, SECONDS);
      assertThat(noHandler(vertx, "token-1")).isTrue();
    }
  }

  @Test
  void withNobodyServingAndThePreviousOwnerGoneTheTakerReportsThatItHasNothing(Vertx vertx) throws Exception {
    BucketedDedupStore next = store();
    try (DedupJournal journal = DedupJournal.open(journalDirectory, next.sliceMillis(), DAY)) {
      long restored = Handover.fetch(vertx, "nobody", next, journal, () -> false).await(60, SECONDS);

      assertThat(restored).isEqualTo(-1);
      assertThat(next.size()).isZero();
      assertThat(journal.pending()).isZero();
    }
  }

  @Test
  void aServerWhoseTakerNeverConfirmsStopsServingAfterItsLinger(Vertx vertx) throws Exception {
    Future<Void> serving = Handover.serve(vertx, "token-2", storeWith(10), 200, () -> true).await(60, SECONDS);

    serving.await(30, SECONDS);

    assertThat(noHandler(vertx, "token-2")).isTrue();
  }

  /** No node could take the ids any more (the rest of the cluster left): serving ends long before its linger. */
  @Test
  void aServerWhoseTakerCanNoLongerComeStopsServingBeforeItsLinger(Vertx vertx) throws Exception {
    AtomicBoolean takerMayCome = new AtomicBoolean(true);
    Future<Void> serving = Handover.serve(vertx, "token-3", storeWith(10), 3_600_000, takerMayCome::get)
        .await(60, SECONDS);

    takerMayCome.set(false);
    serving.await(30, SECONDS);

    assertThat(noHandler(vertx, "token-3")).isTrue();
  }

  private static boolean noHandler(Vertx vertx, String token) {
    Throwable failure = catchThrowable(() -> vertx.eventBus().request(Pipeline.dedupHandoverAddress(token), 0)
        .await(30, SECONDS));
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static BucketedDedupStore storeWith(int ids) {
    BucketedDedupStore store = store();
    for (int i = 0; i < ids; i++) {
      store.remember(hi(i), lo(i));
    }
    return store;
  }

  private static BucketedDedupStore store() {
    return new BucketedDedupStore(DAY, 24, 1_000_000, System::currentTimeMillis);
  }

  private static long missing(BucketedDedupStore store, int ids) {
    long missing = 0;
    for (int i = 0; i < ids; i++) {
      if (!store.contains(hi(i), lo(i))) {
        missing++;
      }
    }
    return missing;
  }

  private static long hi(int i) {
    return 0x9E3779B97F4A7C15L * (i + 1);
  }

  private static long lo(int i) {
    return ~((long) i << 17) ^ 0x5DEECE66DL;
  }
}
