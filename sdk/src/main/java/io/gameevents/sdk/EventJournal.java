package io.gameevents.sdk;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The durable form of the queue: an append-only NDJSON file, {@code <name>.events.ndjson}.
 * A line {@code {...}} appends an event (its payload without sent_at); a line {@code -N} says the N oldest
 * remaining events were delivered or rejected. The queue only ever removes from its head, so replaying the
 * lines in order restores it. Compaction rewrites the file with the live events only (temp file + atomic
 * rename), on open, on close and when removals outweigh the live events. A torn last line left by a crash
 * does not parse and is skipped. A {@code <name>.lock} file keeps two clients off one journal. A
 * {@code <name>.opted-out} file records the player's opt-out: while it exists, the journal opens empty (and
 * rewrites itself so), so events a crash left behind during an opt-out are never sent.
 * Not thread-safe: the {@link JournalWriter} makes every call, one at a time, on the client's context.
 */
final class EventJournal implements Journal {

  private static final System.Logger LOG = System.getLogger(EventJournal.class.getName());
  private static final int MIN_REMOVALS_BEFORE_COMPACTION = 1000;

  private final Path file;
  private final Path tempFile;
  private final Path optOutFile;
  private final boolean optedOut;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<String> recovered;
  private FileChannel channel;
  private long removalsSinceCompaction;
  private boolean failed;

  private EventJournal(Path file, Path optOutFile, boolean optedOut, FileChannel lockChannel, FileLock lock,
                       List<String> recovered) {
    this.file = file;
    this.tempFile = file.resolveSibling(file.getFileName() + ".tmp");
    this.optOutFile = optOutFile;
    this.optedOut = optedOut;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.recovered = recovered;
  }

  /** Locks and replays the journal, then compacts it. */
  static EventJournal open(Path directory, String name) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockChannel = FileChannel.open(directory.resolve(name + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("event queue '" + name + "' in " + directory + " is used by another client");
    }
    try {
      Path file = directory.resolve(name + ".events.ndjson");
      Path optOutFile = directory.resolve(name + ".opted-out");
      boolean optedOut = Files.exists(optOutFile);
      EventJournal journal = new EventJournal(file, optOutFile, optedOut, lockChannel, lock,
          optedOut ? new ArrayList<>() : replay(file));
      journal.compact(journal.recovered);
      return journal;
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  @Override
  public List<String> recovered() {
    return recovered;
  }

  @Override
  public boolean optedOut() {
    return optedOut;
  }

  /** The marker first: a crash before the rewrite leaves events that the next open discards, unsent. */
  @Override
  public void recordOptOut(Collection<String> live) throws IOException {
    Path temp = optOutFile.resolveSibling(optOutFile.getFileName() + ".tmp");
    try (FileChannel marker = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(marker, "The player opted out of event tracking (GameEventClient.optOut()); GameEventClient.optIn()"
          + " removes this file.\n");
      marker.force(true);
    }
    Files.move(temp, optOutFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
    try {
      compact(live);
    } catch (IOException e) {
      fail(e); // the next write retries the rewrite; the marker already keeps the events from being sent
      throw e;
    }
  }

  @Override
  public void recordOptIn() throws IOException {
    Files.deleteIfExists(optOutFile);
    forceDirectory();
  }

  /** Makes a rename or a deletion durable where the platform can (Linux, macOS; not Windows). */
  private void forceDirectory() {
    try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException notSupportedHere) {
      // the rename itself is atomic; only its durability on a power loss is left to the platform
    }
  }

  @Override
  public void write(List<String> lines, int removals) {
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    write(text.toString());
    removalsSinceCompaction += removals;
  }

  /** True when the removal lines outweigh the live events enough to be worth a rewrite, or a write failed. */
  @Override
  public boolean wantsCompaction(int liveCount) {
    return failed || removalsSinceCompaction >= Math.max(MIN_REMOVALS_BEFORE_COMPACTION, liveCount);
  }

  @Override
  public void sync() {
    if (failed) {
      return;
    }
    try {
      channel.force(false);
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void close(Collection<String> live) {
    tryCompact(live);
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do with it
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  @Override
  public void tryCompact(Collection<String> live) {
    try {
      compact(live);
    } catch (IOException e) {
      fail(e);
    }
  }

  /** Rewrites the journal with the live events only; also repairs a journal whose append failed. */
  private void compact(Collection<String> live) throws IOException {
    try (FileChannel temp = FileChannel.open(tempFile, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      StringBuilder lines = new StringBuilder();
      for (String event : live) {
        lines.append(event).append('\n');
      }
      writeFully(temp, lines.toString());
      temp.force(true);
    }
    if (channel != null) {
      channel.close();
    }
    Files.move(tempFile, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    removalsSinceCompaction = 0;
    failed = false;
  }

  private void write(String lines) {
    if (failed) {
      return;
    }
    try {
      writeFully(channel, lines);
    } catch (IOException e) {
      fail(e);
    }
  }

  /** After a failed write the file may end in a torn line: stop appending until a compaction rewrites it. */
  private void fail(IOException e) {
    if (!failed) {
      LOG.log(System.Logger.Level.WARNING, "event journal " + file + " failed; queued events are kept in memory"
          + " only until it can be rewritten: " + e);
    }
    failed = true;
  }

  private static void writeFully(FileChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private static List<String> replay(Path file) throws IOException {
    List<String> events = new ArrayList<>();
    if (!Files.exists(file)) {
      return events;
    }
    long removed = 0;
    // decoding replaces the bytes of a torn multi-byte character instead of failing
    for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{") && isEvent(line)) {
        events.add(line);
      } else if (line.matches("-[0-9]{1,9}")) {
        removed += Long.parseLong(line.substring(1));
      } else if (!line.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "skipping an unreadable line of " + file + " (torn by a crash?)");
      }
    }
    return new ArrayList<>(events.subList((int) Math.min(removed, events.size()), events.size()));
  }

  private static boolean isEvent(String line) {
    try {
      return new JsonObject(line).getString("event_id") != null;
    } catch (DecodeException | ClassCastException torn) {
      return false;
    }
  }
}
