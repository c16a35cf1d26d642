package io.gameevents.dedup.ownership;

import io.gameevents.dedup.storage.BucketedDedupStore;
import io.gameevents.dedup.storage.DedupJournal;
import io.gameevents.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.function.BooleanSupplier;

/**
 * Moves a partition's committed ids from its previous owner to the next one over the event bus,
 * so a planned move (rebalance, rolling restart) keeps the dedup window. The previous owner
 * serves the ids at {@link Pipeline#dedupHandoverAddress} after it stopped accepting and before
 * it gives up ownership; the next owner pulls them page by page right after it won ownership.
 * A page is {@value #PAGE_IDS} ids of 24 bytes (slice start, hi, lo), so no message is large.
 */
public final class Handover {

  static final int PAGE_IDS = 32_768;
  /**
   * The page number a taker sends once it restored the last page. The serving side waits for it
   * rather than ending when it sent the last page: a node that left right after sending could
   * take the reply down with it.
   */
  private static final int DONE = -1;
  private static final int ID_BYTES = 24;
  private static final long TAKER_CHECK_MS = 500;
  private static final String LAST = "last";

  private Handover() {
  }

  /**
   * Serves the ids of a retired store until the taker confirmed it holds them all, {@code lingerMs} passed, or
   * {@code takerMayCome} (asked every {@link #TAKER_CHECK_MS}) says no node could take them any more: a node that
   * drains while the rest of the cluster stops too would otherwise wait out its whole linger. The outer future
   * completes once the address is registered cluster-wide (ownership may then be given up), the inner one when
   * serving is over.
   */
  public static Future<Future<Void>> serve(Vertx vertx, String token, BucketedDedupStore store, long lingerMs,
                                           BooleanSupplier takerMayCome) {
    long[] triples = snapshot(store);
    Promise<Void> done = Promise.promise();
    MessageConsumer<Integer> consumer = vertx.eventBus().consumer(Pipeline.dedupHandoverAddress(token));
    consumer.handler(message -> {
      int page = message.body() == null ? 0 : message.body();
      if (page == DONE) { // the taker holds every page: only now may this node go
        message.reply(null);
        done.tryComplete();
        return;
      }
      int ids = triples.length / 3;
      int from = Math.min(ids, page * PAGE_IDS);
      int to = Math.min(ids, from + PAGE_IDS);
      Buffer buffer = Buffer.buffer((to - from) * ID_BYTES);
      for (int i = from; i < to; i++) {
        buffer.appendLong(triples[3 * i]).appendLong(triples[3 * i + 1]).appendLong(triples[3 * i + 2]);
      }
      boolean last = to >= ids;
      message.reply(buffer, new DeliveryOptions().addHeader(LAST, Boolean.toString(last)));
    });
    long timer = vertx.setTimer(Math.max(1, lingerMs), id -> done.tryComplete());
    long check = vertx.setPeriodic(TAKER_CHECK_MS, id -> {
      if (!takerMayCome.getAsBoolean()) {
        done.tryComplete();
      }
    });
    Future<Void> over = done.future().eventually(() -> {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(check);
      return consumer.unregister();
    });
    return consumer.completion().map(registered -> over);
  }

  /**
   * Pulls the ids the previous owner serves into {@code into}, journalling those it lacked.
   * Completes with the number of ids restored, or -1 when they could not be had: nobody served
   * them (or a pull failed) while {@code previousAlive} stayed true for {@link #FIND_MS}, or it
   * turned false (the previous owner died meanwhile). The retries cover the moment the serving
   * address is registered but this node's event bus has not heard of it yet, and a pull cut
   * short; pages already restored are not lost by a retry (restore skips ids it holds).
   */
  public static Future<Long> fetch(Vertx vertx, String token, BucketedDedupStore into, DedupJournal journal,
                            BooleanSupplier previousAlive) {
    return find(vertx, token, into, journal, previousAlive, System.currentTimeMillis() + FIND_MS);
  }

  static final long FIND_MS = 10_000;

  private static Future<Long> find(Vertx vertx, String token, BucketedDedupStore into, DedupJournal journal,
                                   BooleanSupplier previousAlive, long giveUpAt) {
    return fetchPage(vertx, token, 0, into, journal, 0).otherwise(-1L).compose(restored -> {
      if (restored >= 0 || !previousAlive.getAsBoolean() || System.currentTimeMillis() > giveUpAt) {
        return Future.succeededFuture(restored);
      }
      Promise<Long> retried = Promise.promise();
      vertx.setTimer(200, id -> find(vertx, token, into, journal, previousAlive, giveUpAt).onComplete(retried));
      return retried.future();
    });
  }

  private static Future<Long> fetchPage(Vertx vertx, String token, int page, BucketedDedupStore into,
                                        DedupJournal journal, long restored) {
    return vertx.eventBus().<Buffer>request(Pipeline.dedupHandoverAddress(token), page,
            new DeliveryOptions().setSendTimeout(5000))
        .compose(reply -> {
          Buffer ids = reply.body();
          long added = 0;
          for (int pos = 0; pos + ID_BYTES <= ids.length(); pos += ID_BYTES) {
            long at = ids.getLong(pos);
            long hi = ids.getLong(pos + 8);
            long lo = ids.getLong(pos + 16);
            if (!into.contains(hi, lo)) {
              into.restore(at, hi, lo);
              journal.append(at, hi, lo);
              added++;
            }
          }
          long total = restored + added;
          if (Boolean.parseBoolean(reply.headers().get(LAST))) {
            vertx.eventBus().request(Pipeline.dedupHandoverAddress(token), DONE,
                new DeliveryOptions().setSendTimeout(5000));
            return Future.succeededFuture(total);
          }
          return fetchPage(vertx, token, page + 1, into, journal, total);
        }, failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            && page == 0 ? Future.succeededFuture(-1L) : Future.failedFuture(failure));
  }

  private static long[] snapshot(BucketedDedupStore store) {
    long[] triples = new long[(int) Math.min(Integer.MAX_VALUE - 8, 3 * store.size())];
    int[] n = {0};
    store.forEach((sliceStart, hi, lo) -> {
      if (n[0] + 3 <= triples.length) {
        triples[n[0]++] = sliceStart;
        triples[n[0]++] = hi;
        triples[n[0]++] = lo;
      }
    });
    return n[0] == triples.length ? triples : java.util.Arrays.copyOf(triples, n[0]);
  }
}
