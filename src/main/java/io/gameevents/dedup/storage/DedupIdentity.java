package io.gameevents.dedup.storage;

import io.gameevents.config.ConfigException;
import io.gameevents.config.DedupConfig;
import io.gameevents.config.HashKey;
import io.gameevents.util.PrivateFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which key a node hashes event ids under, and which key its journal was written with. Blocking (files).
 *
 * <p>The key is {@code dedup.hash_key} when set (required in a cluster, where every member must hash alike);
 * a single node without it keeps a key of its own in {@value #KEY_FILE} under {@code dedup.directory},
 * 128 bits from SecureRandom written 0600 on first start and reused after, so a restart still recognises
 * the ids of its window. The journal's identity (the key's fingerprint) is {@value #IDENTITY_FILE}: ids
 * journalled under another key, or by a version that hashed them without one (no identity file), would
 * never match again, so they are dropped with one WARN.
 */
public final class DedupIdentity {

  private static final Logger log = LoggerFactory.getLogger(DedupIdentity.class);

  static final String KEY_FILE = "hash.key";
  static final String IDENTITY_FILE = "journal.identity";
  private static final String IDENTITY_PREFIX = "game-events dedup journal v2, SipHash-2-4-128, key fingerprint ";

  private DedupIdentity() {
  }

  /** The key this node hashes under: {@code dedup.hash_key}, else a single node's own key file. */
  public static HashKey key(DedupConfig config, boolean clustered) throws IOException {
    if (config.hashKey() != null) {
      return config.hashKey();
    }
    if (clustered) {
      throw new ConfigException("config key 'dedup.hash_key' is required in a cluster: every node must hash event "
          + "ids under the same secret key (32 hex characters, e.g. from `openssl rand -hex 16`)");
    }
    return ownKey(Path.of(config.directory()));
  }

  /** Reads the node's key file, or creates it (0600, written whole or not at all) on first start. */
  static HashKey ownKey(Path directory) throws IOException {
    Path file = directory.resolve(KEY_FILE);
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      try {
        return new HashKey(HexFormat.of().parseHex(text));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("dedup key file " + file.toAbsolutePath() + " is not 32 hex characters: restore "
            + "it, or delete it to start a new dedup window");
      }
    }
    byte[] bytes = new byte[HashKey.BYTES];
    new SecureRandom().nextBytes(bytes);
    PrivateFiles.createDirectories(directory);
    PrivateFiles.writeAtomically(file, HexFormat.of().formatHex(bytes) + "\n");
    log.info("dedup: created this node's hash key in {} (keep it with the journal)", file.toAbsolutePath());
    return new HashKey(bytes);
  }

  /**
   * Keeps the journal under {@code directory} if {@code hasher}'s key wrote it; else drops every
   * journalled id (one WARN: the dedup window restarts) and records this key as the journal's identity.
   * Call with the directory locked, before any partition loads its journal. Returns false when it dropped ids.
   */
  public static boolean adoptJournal(Path directory, DedupHasher hasher) throws IOException {
    Path identityFile = directory.resolve(IDENTITY_FILE);
    String identity = IDENTITY_PREFIX + hasher.fingerprint();
    String recorded = Files.exists(identityFile)
        ? Files.readString(identityFile, StandardCharsets.US_ASCII).strip() : null;
    if (identity.equals(recorded)) {
      return true;
    }
    List<Path> journalled = journalFiles(directory);
    if (!journalled.isEmpty()) {
      log.warn("dedup window restarts: the journal in {} was written {}; its {} slice file(s) are dropped, so an "
              + "event sent before this start and retried now is stored again (at-least-once, this once)",
          directory.toAbsolutePath(), recorded == null ? "by an older version, whose event identity was not keyed"
              : "under another dedup key (dedup.hash_key or the node's key file changed)", journalled.size());
      for (Path file : journalled) {
        Files.delete(file);
      }
    }
    // the identity is recorded only once the old ids are gone: a crash in between drops them again, never keeps them
    PrivateFiles.createDirectories(directory);
    PrivateFiles.writeAtomically(identityFile, identity + "\n");
    return journalled.isEmpty();
  }

  /** The slice files of every partition's journal ({@code partition-<n>/<epoch>.ids}). */
  private static List<Path> journalFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> files = new java.util.ArrayList<>();
    try (DirectoryStream<Path> partitions = Files.newDirectoryStream(directory, "partition-*")) {
      for (Path partition : partitions) {
        if (Files.isDirectory(partition)) {
          try (Stream<Path> slices = Files.list(partition)) {
            slices.filter(file -> file.getFileName().toString().endsWith(DedupJournal.SUFFIX)).forEach(files::add);
          }
        }
      }
    }
    return files;
  }
}
