package io.gameevents.delivery.firehose;

import io.gameevents.delivery.Sink;
import io.gameevents.delivery.SinkHealth;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.delivery.WriteResult;
import io.gameevents.delivery.firehose.FirehoseSinkConfig.Spread;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads writes over several Firehose streams ({@code delivery.firehose.stream_names}), for more
 * throughput than one stream's quota. One {@link FirehoseSink} per stream, each with its own fatal
 * state, describes and health, so a broken stream refuses only its own events. A write is split by
 * {@link Spread}, the parts are sent at once, and their results are put back in the caller's order;
 * of the undelivered events' reasons the most severe is reported (REFUSED over TIMED_OUT, ...).
 *
 * <p>Same threading as {@link FirehoseSink}: created, started, written and closed on one context.
 */
final class SpreadingSink implements Sink {

  private final Vertx vertx;
  private final List<String> names;
  private final List<FirehoseSink> streams;
  private final Spread spread;
  /** The streams' one credentials chain when this sink made it (then it closes it). */
  private final DefaultCredentialsProvider ownCredentials;
  private int nextStream;
  private Future<Void> closed;

  /** @param credentials null for the AWS default chain, shared by the streams */
  SpreadingSink(Vertx vertx, FirehoseSinkConfig config, AwsCredentialsProvider credentials) {
    this.vertx = vertx;
    this.names = config.streams();
    this.spread = config.spread();
    this.ownCredentials = credentials == null ? DefaultCredentialsProvider.builder().build() : null;
    AwsCredentialsProvider shared = credentials == null ? ownCredentials : credentials;
    List<FirehoseSink> sinks = new ArrayList<>(names.size());
    for (String name : names) {
      sinks.add(new FirehoseSink(vertx, config.forStream(name), shared));
    }
    this.streams = List.copyOf(sinks);
  }

  /** Each part of a write is a subset of it, so one stream's limits hold for the whole write. */
  @Override
  public SinkLimits limits() {
    return streams.get(0).limits();
  }

  @Override
  public Future<Void> start() {
    List<Future<Void>> starts = streams.stream().map(FirehoseSink::start).toList();
    return Future.join(starts).transform(done -> {
      for (Future<Void> start : starts) {
        if (start.failed()) {
          return close().transform(closed -> Future.failedFuture(start.cause()));
        }
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<WriteResult> write(List<byte[]> records, long timeoutMs) {
    if (records.isEmpty()) {
      return Future.succeededFuture(WriteResult.allDelivered(0));
    }
    int[][] parts = split(records);
    List<Future<WriteResult>> writes = new ArrayList<>(parts.length);
    for (int s = 0; s < parts.length; s++) {
      List<byte[]> part = new ArrayList<>(parts[s].length);
      for (int index : parts[s]) {
        part.add(records.get(index));
      }
      writes.add(part.isEmpty() ? null : streams.get(s).write(part, timeoutMs));
    }
    List<Future<WriteResult>> started = writes.stream().filter(w -> w != null).toList();
    return Future.join(started).transform(done -> Future.succeededFuture(merge(records.size(), parts, writes)));
  }

  /** For each stream, the indexes of the records it gets, in order. */
  private int[][] split(List<byte[]> records) {
    int[][] parts = new int[streams.size()][];
    if (spread == Spread.ROUND_ROBIN) {
      int stream = nextStream;
      nextStream = (nextStream + 1) % streams.size();
      for (int s = 0; s < parts.length; s++) {
        parts[s] = new int[0];
      }
      parts[stream] = new int[records.size()];
      for (int i = 0; i < records.size(); i++) {
        parts[stream][i] = i;
      }
      return parts;
    }
    int[] streamOf = new int[records.size()];
    int[] counts = new int[streams.size()];
    for (int i = 0; i < records.size(); i++) {
      streamOf[i] = AppIdHash.stream(records.get(i), streams.size());
      counts[streamOf[i]]++;
    }
    for (int s = 0; s < parts.length; s++) {
      parts[s] = new int[counts[s]];
      counts[s] = 0;
    }
    for (int i = 0; i < records.size(); i++) {
      int s = streamOf[i];
      parts[s][counts[s]++] = i;
    }
    return parts;
  }

  private WriteResult merge(int size, int[][] parts, List<Future<WriteResult>> writes) {
    WriteResult merged = WriteResult.of(size);
    for (int s = 0; s < parts.length; s++) {
      Future<WriteResult> write = writes.get(s);
      if (write == null) {
        continue;
      }
      WriteResult part = write.succeeded() ? write.result()
          : WriteResult.noneDelivered(parts[s].length, WriteResult.Failure.RETRY, String.valueOf(write.cause()));
      for (int i = 0; i < parts[s].length; i++) {
        if (part.delivered(i)) {
          merged.markDelivered(parts[s][i]);
        }
      }
      if (!part.complete()) {
        merged.failed(part.failure(), named(names.get(s), part.detail()));
      }
    }
    return merged;
  }

  /** Ready when every stream is; otherwise what is wrong with each stream that is not. */
  @Override
  public SinkHealth health() {
    List<String> ready = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (int s = 0; s < streams.size(); s++) {
      SinkHealth health = streams.get(s).health();
      (health.ready() ? ready : notReady).add(named(names.get(s), health.detail()));
    }
    return notReady.isEmpty() ? SinkHealth.ready(String.join("; ", ready))
        : SinkHealth.notReady(String.join("; ", notReady));
  }

  @Override
  public Future<Void> close() {
    if (closed == null) {
      closed = Future.join(streams.stream().map(FirehoseSink::close).toList())
          .transform(done -> ownCredentials == null ? Future.<Void>succeededFuture()
              : vertx.executeBlocking(() -> { // may stop a refresh thread: not on the event loop
                ownCredentials.close();
                return null;
              }, false).mapEmpty());
    }
    return closed;
  }

  /**
   * Most details of a stream's sink name it already ("stream x not found ..."); the others get it.
   * Stream names hold no spaces or colons, so the name is matched as a whole word.
   */
  private static String named(String stream, String detail) {
    String mention = "stream " + stream;
    boolean named = detail.contains(mention + " ") || detail.contains(mention + ":") || detail.endsWith(mention);
    return named ? detail : mention + ": " + detail;
  }
}
