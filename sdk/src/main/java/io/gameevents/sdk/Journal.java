package io.gameevents.sdk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The disk side of a durable queue ({@link EventJournal}); an interface so a test can stand in a journal whose
 * disk is stuck. Every call does file I/O, so only the {@link JournalWriter} makes them, off the game's threads.
 */
interface Journal {

  /** Opens (and locks) the journal {@code name} in {@code directory}. */
  @FunctionalInterface
  interface Opener {
    Journal open(Path directory, String name) throws IOException;
  }

  /** The events still queued when the journal was opened, oldest first (none when {@link #optedOut()}). */
  List<String> recovered();

  /** True when the player's opt-out was recorded beside this journal (and not undone) when it was opened. */
  boolean optedOut();

  /**
   * Records the player's opt-out so that it survives a restart, then rewrites the file with these live events
   * only (none of the player's: the queue forgot them).
   */
  void recordOptOut(Collection<String> live) throws IOException;

  /** Removes the recorded opt-out. */
  void recordOptIn() throws IOException;

  /**
   * Appends lines: an event's JSON, or {@code -N} when the N oldest events left the queue.
   *
   * @param removals the total N of the removal lines among them
   */
  void write(List<String> lines, int removals);

  /** Forces the written lines to the disk, so a power loss does not lose what is about to be sent. */
  void sync();

  /** True when a rewrite with the live events only is due. */
  boolean wantsCompaction(int liveCount);

  /** Rewrites the file with these live events only (a failure is logged and retried at the next write). */
  void tryCompact(Collection<String> live);

  /** Compacts, then releases the file and its lock. */
  void close(Collection<String> live);
}
