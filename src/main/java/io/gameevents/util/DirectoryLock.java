package io.gameevents.util;

import io.gameevents.config.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds {@code <directory>/.lock} for the life of the process, so a second node started on the
 * same data directory (two nodes on one machine sharing a config) refuses to start and touches
 * nothing: it would interleave its dedup journal with the first one's, or publish the first one's
 * open sink file as "left by a previous run". The OS drops the lock when the process dies.
 */
public final class DirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Throws {@link ConfigException} naming {@code key} when another process (or node) holds it. */
  public static DirectoryLock acquire(Path directory, String key) {
    return acquire(directory, directory.resolve(".lock"), key);
  }

  /**
   * As above with the lock file beside the directory ({@code events} -&gt; {@code events.lock}),
   * for a tree that readers (the warehouse's loaders, a query over the lake) take whole.
   */
  public static DirectoryLock acquireBeside(Path directory, String key) {
    Path absolute = directory.toAbsolutePath().normalize();
    return acquire(directory, absolute.resolveSibling(absolute.getFileName() + ".lock"), key);
  }

  private static DirectoryLock acquire(Path directory, Path lockFile, String key) {
    try {
      PrivateFiles.createDirectories(directory);
      FileChannel channel = PrivateFiles.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new ConfigException("config key '" + key + "' (" + directory.toAbsolutePath()
            + ") is in use by another running game-events node: give each node its own directory");
      }
      return new DirectoryLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + directory.toAbsolutePath(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is ending or the channel is gone: the OS releases the lock anyway
    }
  }
}
