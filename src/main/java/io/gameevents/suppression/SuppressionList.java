package io.gameevents.suppression;

import io.gameevents.privacy.Subject;
import io.gameevents.privacy.Suppressions;
import io.gameevents.suppression.SubjectDigest.Digest;
import io.gameevents.util.PrivateFiles;
import io.gameevents.util.SipHash;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's suppression list: in memory for the ingest path's check, and in {@code privacy.directory} as an
 * append-only file of {@link SuppressionEntry} lines, each fsynced before the change is visible (so a change that
 * was answered survives kill -9). Reloaded at start, the last version of each digest winning; a torn last line (a
 * crash mid-append) is not an entry and is skipped. Rewritten whole (atomically) at start when most lines are stale.
 *
 * <p>The check ({@link #suppressed}) takes no lock and allocates the id's bytes: a map lookup of the app (no hash at
 * all for an app with nobody on the list), then one SipHash of the id under its app's key and a bitmap read (a probe
 * of the slots when its bit is set) per id kind the app has entries of.
 * Changes ({@link #apply}) block on the disk: call them on a worker.
 */
public final class SuppressionList implements Suppressions {

  private static final Logger log = LoggerFactory.getLogger(SuppressionList.class);
  static final String FILE = "suppressions.ndjson";

  /** An app's entries: the keys of its two kinds, and how many of each are suppressed. */
  private static final class App {
    final SipHash playerKey;
    final SipHash deviceKey;
    volatile int players;
    volatile int devices;

    App(SubjectDigest digests, String appId) {
      playerKey = digests.keyFor(appId, Subject.Kind.PLAYER);
      deviceKey = digests.keyFor(appId, Subject.Kind.DEVICE);
    }
  }

  private final Path file;
  private final SubjectDigest digests;
  private final DigestTable table = new DigestTable();
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  /** Every digest's last entry, lifted ones included: what a newer entry is compared with. Guarded by this. */
  private final Map<Digest, SuppressionEntry> entries = new HashMap<>();
  private FileChannel out;

  private SuppressionList(Path directory, SubjectDigest digests) {
    this.file = directory.resolve(FILE);
    this.digests = digests;
  }

  /** Loads the list kept in {@code directory} (none yet: empty; the directory is made at the first change). */
  public static SuppressionList open(Path directory, SubjectDigest digests) throws IOException {
    SuppressionList list = new SuppressionList(directory, digests);
    list.load();
    return list;
  }

  @Override
  public boolean suppressed(String appId, String playerId, String deviceId) {
    if (appId == null) {
      return false;
    }
    App app = apps.get(appId);
    if (app == null) {
      return false;
    }
    return (playerId != null && app.players > 0 && SubjectDigest.in(table, app.playerKey, playerId))
        || (deviceId != null && app.devices > 0 && SubjectDigest.in(table, app.deviceKey, deviceId));
  }

  public Digest digest(Subject subject) {
    return digests.of(subject);
  }

  /** Whether this subject is suppressed now. */
  public boolean suppressed(Subject subject) {
    return contains(digests.of(subject));
  }

  public synchronized boolean contains(Digest digest) {
    SuppressionEntry entry = entries.get(digest);
    return entry != null && entry.suppressed();
  }

  /** Entries suppressed now. */
  public int size() {
    return table.size();
  }

  /** Every entry, lifted ones included (a copy): what a node joining a cluster compares with the cluster's. */
  public synchronized List<SuppressionEntry> entries() {
    return new ArrayList<>(entries.values());
  }

  /**
   * Takes {@code entry} if it is newer than what the list holds for its digest: written and fsynced, then in force.
   *
   * @return true when it changed the list
   */
  public synchronized boolean apply(SuppressionEntry entry) throws IOException {
    if (!entry.newerThan(entries.get(entry.digest()))) {
      return false;
    }
    append(entry);
    take(entry);
    return true;
  }

  private void take(SuppressionEntry entry) {
    SuppressionEntry previous = entries.put(entry.digest(), entry);
    boolean was = previous != null && previous.suppressed();
    if (entry.suppressed() == was) {
      return;
    }
    App app = apps.computeIfAbsent(entry.appId(), id -> new App(digests, id));
    int delta = entry.suppressed() ? 1 : -1;
    // counts go up before the digest is in the table and down after it left: a reader never skips a present digest
    if (entry.suppressed()) {
      count(app, entry.kind(), delta);
      table.add(entry.digest().high(), entry.digest().low());
    } else {
      table.remove(entry.digest().high(), entry.digest().low());
      count(app, entry.kind(), delta);
    }
  }

  private static void count(App app, Subject.Kind kind, int delta) {
    if (kind == Subject.Kind.PLAYER) {
      app.players += delta;
    } else {
      app.devices += delta;
    }
  }

  private void append(SuppressionEntry entry) throws IOException {
    if (out == null) {
      PrivateFiles.createDirectories(file.getParent());
      out = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    ByteBuffer line = ByteBuffer.wrap((entry.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) {
      out.write(line);
    }
    out.force(false);
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    int lines = 0;
    int skipped = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      lines++;
      SuppressionEntry entry;
      try {
        entry = SuppressionEntry.fromJson(new JsonObject(line));
      } catch (DecodeException torn) {
        entry = null;
      }
      if (entry == null) {
        skipped++;
      } else if (entry.newerThan(entries.get(entry.digest()))) {
        take(entry);
      }
    }
    if (skipped > 0) {
      log.warn("privacy: {} line(s) of {} are not suppression entries and were skipped (a write cut short by a crash)",
          skipped, file.toAbsolutePath());
    }
    if (lines > 2 * entries.size() + 1000 || skipped > 0) {
      rewrite();
    }
    log.info("privacy: suppression list loaded from {}: {} suppressed", file.toAbsolutePath(), table.size());
  }

  /** The file with one line per digest, replacing the old one atomically. */
  private void rewrite() throws IOException {
    StringBuilder text = new StringBuilder();
    for (SuppressionEntry entry : entries.values()) {
      text.append(entry.toJson().encode()).append('\n');
    }
    PrivateFiles.writeAtomically(file, text.toString());
  }

  /** Closes the file (the list stays readable). */
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
