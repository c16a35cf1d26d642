package io.gameevents.forward;

import io.gameevents.privacy.Subject;
import io.gameevents.privacy.SubjectRecords;
import io.gameevents.util.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The subjects erased while the spool may still hold their records, so the forwarder drops those records instead of
 * sending them. Dropping at forward time, not rewriting segments: a segment being forwarded is open in its
 * forwarder, which reads it from a byte checkpoint, so a rewrite would race the reader and move every offset after
 * the first removed line. Persisted in {@code <spool>/.erasures} (a keyed SHA-256 of each subject, never the id;
 * the key is random per spool), so a restart still drops them; an entry is forgotten once every segment opened
 * before it is forwarded.
 */
final class SpoolErasures {

  static final String FILE_NAME = ".erasures";
  private static final HexFormat HEX = HexFormat.of();

  /** One erasure: when, and the subject's keyed hash. */
  private record Entry(long erasedAtMillis, String hash) {
  }

  private final Path file;
  private final byte[] key;
  private volatile List<Entry> entries;

  private SpoolErasures(Path file, byte[] key, List<Entry> entries) {
    this.file = file;
    this.key = key;
    this.entries = entries;
  }

  /** Reads the spool's list, or starts an empty one with a new key. Blocking. */
  static SpoolErasures open(Path spoolRoot) throws IOException {
    Path file = spoolRoot.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      byte[] key = new byte[16];
      new SecureRandom().nextBytes(key);
      return new SpoolErasures(file, key, List.of());
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    if (lines.isEmpty() || !lines.get(0).startsWith("key ")) {
      throw new IOException(file + " is not a spool erasure list");
    }
    byte[] key = HEX.parseHex(lines.get(0).substring(4));
    List<Entry> entries = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(" ");
      entries.add(new Entry(Long.parseLong(fields[0]), fields[1]));
    }
    return new SpoolErasures(file, key, List.copyOf(entries));
  }

  /**
   * Adds a subject, forgetting entries older than every segment still to forward ({@code oldestOpenedMillis}, 0 when
   * none is left). Durable on return. Blocking.
   */
  synchronized void add(Subject subject, long nowMillis, long oldestOpenedMillis) throws IOException {
    List<Entry> kept = new ArrayList<>();
    for (Entry entry : entries) {
      // a segment name has whole seconds: keep a second's margin
      if (oldestOpenedMillis > 0 && entry.erasedAtMillis() >= oldestOpenedMillis - 1000) {
        kept.add(entry);
      }
    }
    kept.add(new Entry(nowMillis, hash(subject.appId(), subject.kind(), subject.id())));
    StringBuilder text = new StringBuilder("key ").append(HEX.formatHex(key)).append('\n');
    for (Entry entry : kept) {
      text.append(entry.erasedAtMillis()).append(' ').append(entry.hash()).append('\n');
    }
    PrivateFiles.writeAtomically(file, text.toString());
    entries = List.copyOf(kept);
  }

  /**
   * The records of a segment opened at {@code openedMillis} that may be forwarded: without those of a subject erased
   * after the segment was opened (its records may be in it). The same list when nothing applies, which is the case
   * as long as nobody was erased.
   */
  List<byte[]> forwardable(List<byte[]> records, long openedMillis) {
    List<Entry> now = entries;
    if (now.isEmpty()) {
      return records;
    }
    List<String> applicable = new ArrayList<>();
    for (Entry entry : now) {
      if (openedMillis == 0 || entry.erasedAtMillis() >= openedMillis - 1000) {
        applicable.add(entry.hash());
      }
    }
    if (applicable.isEmpty()) {
      return records;
    }
    List<byte[]> kept = new ArrayList<>(records.size());
    for (byte[] record : records) {
      if (!erased(record, applicable)) {
        kept.add(record);
      }
    }
    return kept.size() == records.size() ? records : kept;
  }

  private boolean erased(byte[] record, List<String> hashes) {
    SubjectRecords.Owner owner = SubjectRecords.owner(record, 0, record.length);
    if (owner.appId() == null) {
      return false;
    }
    return (owner.playerId() != null && hashes.contains(hash(owner.appId(), Subject.Kind.PLAYER, owner.playerId())))
        || (owner.deviceId() != null && hashes.contains(hash(owner.appId(), Subject.Kind.DEVICE, owner.deviceId())));
  }

  private String hash(String appId, Subject.Kind kind, String id) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(key);
      sha256.update((appId + "\n" + kind + "\n" + id).getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
