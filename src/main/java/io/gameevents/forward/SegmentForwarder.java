package io.gameevents.forward;

import io.gameevents.delivery.RetryingWriter;
import io.gameevents.delivery.SinkLimits;
import io.gameevents.forward.SegmentReader.Chunk;
import io.gameevents.forward.SpoolScan.Segment;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Forwards one closed segment from its checkpoint to its end, one call at a time, then deletes it. */
final class SegmentForwarder {

  private final Vertx vertx;
  private final Spool spool;
  private final RetryingWriter writer;
  private final SinkLimits limits;
  private final Segment segment;
  private final BooleanSupplier stopping;
  private final Promise<Void> done = Promise.promise();
  private SegmentReader reader;
  private Checkpoint checkpoint;

  SegmentForwarder(Vertx vertx, Spool spool, RetryingWriter writer, SinkLimits limits, Segment segment,
                   BooleanSupplier stopping) {
    this.vertx = vertx;
    this.spool = spool;
    this.writer = writer;
    this.limits = limits;
    this.segment = segment;
    this.stopping = stopping;
  }

  /** Completes when the segment is forwarded and deleted, or when forwarding stopped (files closed). */
  Future<Void> run() {
    vertx.executeBlocking(() -> {
      long from = Checkpoint.read(segment.path());
      reader = SegmentReader.open(segment.path(), from);
      checkpoint = Checkpoint.open(segment.path());
      return null;
    }, false).onSuccess(opened -> next()).onFailure(failure ->
        // a scan that began before this segment was forwarded and deleted listed it again
        end(failure instanceof NoSuchFileException ? null : failure));
    return done.future();
  }

  /** Completes once this segment's files are closed. */
  Future<Void> stopped() {
    return done.future().otherwiseEmpty();
  }

  private void next() {
    if (stopping.getAsBoolean()) {
      end(null);
      return;
    }
    vertx.executeBlocking(() -> reader.next(limits), false).onSuccess(chunk -> {
      if (chunk.records().isEmpty()) {
        finish();
      } else {
        send(chunk);
      }
    }).onFailure(this::end);
  }

  private void send(Chunk chunk) {
    List<byte[]> records = spool.erasures().forwardable(chunk.records(), segment.openedMillis());
    if (records.isEmpty()) {
      saveCheckpoint(chunk, 0); // every record of the chunk was erased: nothing to send, but move past them
      return;
    }
    writer.write(records).onComplete(written -> {
      if (written.failed() || !written.result().complete()) {
        end(null); // only a closing writer gives up: the records stay in the spool past the checkpoint
        return;
      }
      saveCheckpoint(chunk, records.size());
    });
  }

  private void saveCheckpoint(Chunk chunk, int forwarded) {
    vertx.executeBlocking(() -> {
      checkpoint.save(chunk.end());
      return null;
    }, false).onSuccess(saved -> {
      spool.confirmed(chunk.bytes());
      spool.forwardedEvents.increment(forwarded);
      next();
    }).onFailure(this::end);
  }

  private void finish() {
    vertx.executeBlocking(() -> {
      closeFiles();
      Checkpoint.deleteSegment(segment.path());
      return reader.size();
    }, false).onSuccess(size -> {
      spool.deleted(size);
      done.tryComplete();
    }).onFailure(this::end);
  }

  private void end(Throwable failure) {
    vertx.executeBlocking(() -> {
      closeFiles();
      return null;
    }, false).onComplete(closed -> {
      if (failure == null) {
        done.tryComplete();
      } else {
        done.tryFail(failure);
      }
    });
  }

  private void closeFiles() throws IOException {
    if (reader != null) {
      reader.close();
    }
    if (checkpoint != null) {
      checkpoint.close();
    }
  }
}
