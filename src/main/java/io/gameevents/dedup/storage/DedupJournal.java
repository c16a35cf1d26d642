package io.gameevents.dedup.storage;

import io.gameevents.util.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The committed ids of one dedup partition on local disk, so a restart keeps the dedup window.
 *
 * <p>One append-only file per store time slice, {@code <epoch>.ids} with epoch =
 * floorDiv(remembered at, sliceMillis), of 16-byte records (hi, lo as big-endian longs). The file
 * name carries the time, so expiry deletes whole files and no compaction or snapshot is needed.
 * A crash mid-write can leave a torn tail (a length that is not a multiple of 16): loading ignores
 * it and the next write to that file truncates it away. A slice file is deleted once the slice
 * ended more than {@code windowMillis + sliceMillis} ago. That is never before the store drops it
 * (a slice of {@code ceil(window / buckets)} ms, kept at most one slice past the window) as long
 * as {@code (buckets - 1)^2 <= window} in ms: with at most 1024 buckets (the config limit), for
 * any window of 18 minutes or more.
 *
 * <p>Threads: {@link #append} runs on the event loop and only buffers, under a lock that flush
 * holds just to swap buffers; {@link #flush}, {@link #load}, {@link #clear} and {@link #close}
 * do the I/O on a worker, serialised by a second lock that append never takes.
 */
public final class DedupJournal implements AutoCloseable {

  private static final int RECORD_BYTES = 16;
  static final String SUFFIX = ".ids";
  /** Longs per buffered id: epoch, hi, lo. */
  private static final int STRIDE = 3;
  private static final int INITIAL_BUFFER = STRIDE * 1024;
  private static final int IO_BUFFER_BYTES = 1 << 20;

  private final Path directory;
  private final long sliceMillis;
  private final long windowMillis;

  private final Object appendLock = new Object();
  private long[] buffer = new long[INITIAL_BUFFER]; // guarded by appendLock
  private int buffered; // longs used in buffer, guarded by appendLock
  private long flushing; // ids taken by the flush in progress, guarded by appendLock
  /** The last flushed batch, reused so a steady flow allocates no new buffers; appendLock. */
  private long[] spare = new long[INITIAL_BUFFER];

  private final Object ioLock = new Object();
  /** Slice files opened for writing, by epoch; ioLock. */
  private final Map<Long, FileChannel> channels = new HashMap<>();
  private final ByteBuffer io = ByteBuffer.allocateDirect(IO_BUFFER_BYTES); // ioLock
  /** A slice file was created since the directory was last fsynced; ioLock. */
  private boolean created;
  /** Files written since their last fsync; ioLock. */
  private final Set<FileChannel> unsynced = new HashSet<>();

  private DedupJournal(Path directory, long sliceMillis, long windowMillis) {
    this.directory = directory;
    this.sliceMillis = sliceMillis;
    this.windowMillis = windowMillis;
  }

  /** The journal in {@code partitionDirectory}, created if missing; use the store's slice length. */
  public static DedupJournal open(Path partitionDirectory, long sliceMillis, long windowMillis)
      throws IOException {
    if (sliceMillis <= 0 || windowMillis <= 0) {
      throw new IllegalArgumentException("sliceMillis and windowMillis must be positive");
    }
    PrivateFiles.createDirectories(partitionDirectory);
    return new DedupJournal(partitionDirectory, sliceMillis, windowMillis);
  }

  /**
   * Restores every id of a slice still within the window into {@code store}, oldest slice first
   * (so each restore probes one slice, and at the store's bound the oldest ids are forgotten as
   * they would have been), and deletes the files of expired slices. Blocking. Returns the number
   * of ids read.
   */
  public long load(BucketedDedupStore store, long nowMillis) throws IOException {
    if (store.sliceMillis() != sliceMillis) {
      throw new IllegalArgumentException("store slices are " + store.sliceMillis()
          + " ms, journal slices " + sliceMillis + " ms");
    }
    synchronized (ioLock) {
      long read = 0;
      TreeMap<Long, Path> files = sliceFiles();
      deleteExpired(files, nowMillis);
      for (Map.Entry<Long, Path> file : files.entrySet()) {
        read += loadSlice(file.getValue(), file.getKey() * sliceMillis, store);
      }
      return read;
    }
  }

  /** Buffers one committed id remembered at {@code atMillis}. No I/O; O(1) amortised. */
  public void append(long atMillis, long hi, long lo) {
    long epoch = Math.floorDiv(atMillis, sliceMillis);
    synchronized (appendLock) {
      if (buffered == buffer.length) {
        buffer = Arrays.copyOf(buffer, 2 * buffer.length);
      }
      buffer[buffered] = epoch;
      buffer[buffered + 1] = hi;
      buffer[buffered + 2] = lo;
      buffered += STRIDE;
    }
  }

  /**
   * Writes every buffered id to its slice file and fsyncs them, then deletes the files of expired
   * slices. Ids of an already expired slice are dropped unwritten. Blocking; append may run
   * meanwhile. On failure the ids stay pending for the next flush (some may then be written twice,
   * which restore ignores). Returns the number of ids written.
   */
  public long flush(long nowMillis) throws IOException {
    return flush(nowMillis, true);
  }

  /**
   * As {@link #flush(long)}, but with {@code durable} false the ids only reach the OS (they
   * survive a crash of the process, not of the machine) and the fsync waits for a durable flush:
   * many partitions' journals then cost one fsync each per fsync interval, not per write.
   */
  public long flush(long nowMillis, boolean durable) throws IOException {
    synchronized (ioLock) {
      long[] batch;
      int length;
      synchronized (appendLock) {
        batch = buffer;
        length = buffered;
        buffer = spare;
        spare = null;
        buffered = 0;
        flushing = length / STRIDE;
      }
      try {
        long written = write(batch, length, nowMillis, durable);
        deleteExpired(sliceFiles(), nowMillis);
        synchronized (appendLock) {
          spare = batch;
          flushing = 0;
        }
        return written;
      } catch (IOException | RuntimeException e) {
        requeue(batch, length);
        // A write may have stopped mid-record: reopening truncates the file to whole records.
        try {
          closeChannels();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }
  }

  /** Number of ids appended but not yet flushed (fsynced). */
  public long pending() {
    synchronized (appendLock) {
      return buffered / STRIDE + flushing;
    }
  }

  /**
   * Deletes every slice file of this partition and drops the ids not flushed yet, e.g. once the
   * partition's ids live elsewhere.
   */
  public void clear() throws IOException {
    synchronized (ioLock) {
      synchronized (appendLock) {
        buffered = 0;
      }
      closeChannels();
      for (Path file : sliceFiles().values()) {
        Files.deleteIfExists(file);
      }
      syncDirectory(); // so a crash cannot bring the ids back
    }
  }

  /**
   * Fsyncs every slice file of this partition and its directory, also those this object did not write (a previous
   * run's, whose ids a crash of the process left with the OS only). Blocking.
   */
  public void force() throws IOException {
    synchronized (ioLock) {
      for (Path file : sliceFiles().values()) {
        try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.READ)) {
          channel.force(false);
        }
      }
      syncDirectory();
    }
  }

  /** Closes the open files; flushes nothing. */
  @Override
  public void close() throws IOException {
    synchronized (ioLock) {
      closeChannels();
    }
  }

  private long loadSlice(Path file, long sliceStart, BucketedDedupStore store) throws IOException {
    long read = 0;
    try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.READ)) {
      io.clear();
      while (channel.read(io) >= 0) {
        io.flip();
        while (io.remaining() >= RECORD_BYTES) {
          store.restore(sliceStart, io.getLong(), io.getLong());
          read++;
        }
        io.compact();
      }
    }
    return read; // a torn tail is what is left in io
  }

  /** Writes the batch's live ids, a run of one slice at a time, and fsyncs what it wrote. */
  private long write(long[] batch, int length, long nowMillis, boolean durable) throws IOException {
    Set<FileChannel> touched = unsynced;
    long written = 0;
    FileChannel channel = null; // null while in a run of expired ids
    long runEpoch = 0;
    io.clear();
    for (int i = 0; i < length; i += STRIDE) {
      if (i == 0 || batch[i] != runEpoch) {
        drain(channel);
        runEpoch = batch[i];
        channel = expired(runEpoch, nowMillis) ? null : channelFor(runEpoch);
        if (channel != null) {
          touched.add(channel);
        }
      }
      if (channel == null) {
        continue;
      }
      if (io.remaining() < RECORD_BYTES) {
        drain(channel);
      }
      io.putLong(batch[i + 1]).putLong(batch[i + 2]);
      written++;
    }
    drain(channel);
    if (!durable) {
      return written;
    }
    for (FileChannel c : touched) {
      if (c.isOpen()) {
        c.force(false);
      }
    }
    touched.clear();
    if (created) {
      syncDirectory();
      created = false;
    }
    return written;
  }

  private FileChannel channelFor(long epoch) throws IOException {
    FileChannel channel = channels.get(epoch);
    if (channel == null) {
      Path file = directory.resolve(epoch + SUFFIX);
      created |= Files.notExists(file);
      channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channels.put(epoch, channel); // from here on closed with the others, even on failure
      long whole = channel.size() - channel.size() % RECORD_BYTES;
      channel.truncate(whole); // a torn tail from a crash, which load ignored
      channel.position(whole);
    }
    return channel;
  }

  /** Writes out what {@code io} holds (nothing when {@code channel} is null). */
  private void drain(FileChannel channel) throws IOException {
    if (io.position() == 0) {
      return;
    }
    io.flip();
    while (io.hasRemaining()) {
      channel.write(io);
    }
    io.clear();
  }

  /** Puts a batch whose flush failed back in front of what was appended meanwhile. */
  private void requeue(long[] batch, int length) {
    synchronized (appendLock) {
      long[] merged = length + buffered <= batch.length
          ? batch : Arrays.copyOf(batch, Math.max(2 * batch.length, length + buffered));
      System.arraycopy(buffer, 0, merged, length, buffered);
      spare = buffer;
      buffer = merged;
      buffered += length;
      flushing = 0;
    }
  }

  /** This partition's slice files by epoch. */
  private TreeMap<Long, Path> sliceFiles() throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : stream) {
        if (!PrivateFiles.isRegularFile(file)) {
          continue; // a link or directory named like a slice is not ours to read, truncate or delete
        }
        String name = file.getFileName().toString();
        try {
          files.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), file);
        } catch (NumberFormatException notOurs) {
          // not a slice file: leave it alone
        }
      }
    }
    return files;
  }

  /** Closes and deletes the files of slices expired at {@code nowMillis}, removing them from files. */
  private void deleteExpired(TreeMap<Long, Path> files, long nowMillis) throws IOException {
    while (!files.isEmpty() && expired(files.firstKey(), nowMillis)) {
      Map.Entry<Long, Path> oldest = files.pollFirstEntry();
      FileChannel open = channels.remove(oldest.getKey());
      if (open != null) {
        open.close();
      }
      Files.deleteIfExists(oldest.getValue());
    }
  }

  /** True once slice {@code epoch} ended more than a window and a slice before now. */
  private boolean expired(long epoch, long nowMillis) {
    return nowMillis - (epoch + 1) * sliceMillis > windowMillis + sliceMillis;
  }

  private void closeChannels() throws IOException {
    IOException failure = null;
    for (FileChannel channel : channels.values()) {
      try {
        channel.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    channels.clear();
    unsynced.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** Makes a created or deleted file name durable; some platforms cannot fsync a directory. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException unsupported) {
      // the data itself is fsynced; only the name's durability is left to the platform
    }
  }
}
