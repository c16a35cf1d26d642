package io.gameevents.dedup.storage;

import io.gameevents.config.DedupConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Start-up, before any partition loads (blocking): puts back into the journal the ids of the records the sink stored
 * on this node's disk after the journal was last durable, so that a retry of an event acknowledged just before a
 * kill -9 (or a machine crash) is answered {@code duplicate}, not stored again.
 *
 * <p>Which records: those in the sink's files modified at or after the oldest {@link JournalMark} less the longest
 * time between a record's write and its id's commit ({@code commitLagMillis}: dedup waits that long for delivery at
 * most, and a 200 is sent only after the commit). Without a mark (a journal from a version without marks, or a mark
 * that does not check) from the newest slice file's time less {@code dedup.journal_fsync_ms}; with no journal at
 * all, the whole window. Each id goes into its partition's journal, in the slice of its file's time (so it expires
 * no earlier than it would have). Then every journal file is fsynced and the marks start over at now.
 */
public final class SinkRebuild {

  private static final Logger log = LoggerFactory.getLogger(SinkRebuild.class);
  /** Ids buffered per partition before they are written out, bounding the memory of a long rebuild. */
  private static final long WRITE_EVERY = 64 * 1024;

  private SinkRebuild() {
  }

  /** The sink's stored records, from a time on (delivery's StoredRecords, adapted by the composition root). */
  @FunctionalInterface
  public interface Source {
    long forEachSince(long sinceMillis, Visitor visitor) throws IOException;
  }

  /** One stored record's ids and the time it was stored by. */
  @FunctionalInterface
  public interface Visitor {
    void visit(String appId, String eventId, long storedByMillis);
  }

  /** What a rebuild did: read the records stored since {@code sinceMillis}. */
  public record Result(long sinceMillis, long records, long millis) {
  }

  public static Result run(DedupConfig config, DedupHasher hasher, Source source, long commitLagMillis,
                           long nowMillis) throws IOException {
    long started = System.nanoTime();
    Path directory = Path.of(config.directory());
    long since = durableSince(config, directory, nowMillis) - commitLagMillis;
    long sliceMillis = BucketedDedupStore.from(config).sliceMillis();
    long windowMillis = config.windowSeconds() * 1000;
    DedupJournal[] journals = new DedupJournal[config.partitions()];
    long records;
    try {
      for (int p = 0; p < journals.length; p++) {
        journals[p] = DedupJournal.open(partitionDirectory(directory, p), sliceMillis, windowMillis);
      }
      IOException[] failed = new IOException[1];
      records = source.forEachSince(since, (appId, eventId, storedBy) -> {
        DedupKey key = hasher.key(appId, eventId);
        DedupJournal journal = journals[key.partition(journals.length)];
        journal.append(storedBy, key.hi(), key.lo());
        if (journal.pending() >= WRITE_EVERY && failed[0] == null) {
          try {
            journal.flush(nowMillis, false);
          } catch (IOException e) {
            failed[0] = e;
          }
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
      for (DedupJournal journal : journals) {
        journal.flush(nowMillis, true);
        journal.force();
      }
    } finally {
      for (DedupJournal journal : journals) {
        if (journal != null) {
          journal.close();
        }
      }
    }
    JournalMark.reset(directory, config.instances(), nowMillis);
    return new Result(since, records, (System.nanoTime() - started) / 1_000_000);
  }

  /** The journal was dropped (another key): nothing is read back, and the marks start over at now. */
  public static void restart(DedupConfig config, long nowMillis) throws IOException {
    JournalMark.reset(Path.of(config.directory()), config.instances(), nowMillis);
  }

  private static Path partitionDirectory(Path directory, int partition) {
    return directory.resolve("partition-" + partition);
  }

  /** The time before which every committed id is durable in the journal, as far as the disk tells. */
  static long durableSince(DedupConfig config, Path directory, long nowMillis) throws IOException {
    OptionalLong mark = JournalMark.oldest(directory);
    if (mark.isPresent()) {
      return mark.getAsLong();
    }
    long newest = newestSliceFile(directory);
    if (newest == Long.MIN_VALUE) {
      log.info("dedup: no journal in {}: reading back the sink's files of the whole window",
          directory.toAbsolutePath());
      return nowMillis - config.windowSeconds() * 1000;
    }
    return newest - config.journalFsyncMs();
  }

  private static long newestSliceFile(Path directory) throws IOException {
    long newest = Long.MIN_VALUE;
    if (!Files.isDirectory(directory)) {
      return newest;
    }
    try (DirectoryStream<Path> partitions = Files.newDirectoryStream(directory, "partition-*")) {
      for (Path partition : partitions) {
        if (!Files.isDirectory(partition)) {
          continue;
        }
        try (DirectoryStream<Path> slices = Files.newDirectoryStream(partition, "*" + DedupJournal.SUFFIX)) {
          for (Path slice : slices) {
            newest = Math.max(newest, Files.getLastModifiedTime(slice).toMillis());
          }
        }
      }
    }
    return newest;
  }
}
