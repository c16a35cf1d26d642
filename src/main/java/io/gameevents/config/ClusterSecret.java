package io.gameevents.config;

import java.nio.charset.StandardCharsets;

/**
 * {@code cluster.secret}: what every member proves it holds when it writes into Hazelcast (owner entries, node
 * metadata, leaving notices), since open-source Hazelcast lets anyone who reaches its port join and write. Only a
 * key derived from it is ever used; the value itself is never printed ({@link #toString} hides it).
 */
public final class ClusterSecret {

  /** Shorter secrets can be guessed offline from a proof anyone on Hazelcast can read. */
  static final int MIN_CHARACTERS = 32;

  private final byte[] bytes;

  private ClusterSecret(byte[] bytes) {
    this.bytes = bytes;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Null when {@code name} is absent; the messages never echo the value. */
  static ClusterSecret from(Section s, String name) {
    String text = s.string(name, null);
    if (text == null) {
      return null;
    }
    String value = text.strip();
    if (value.regionMatches(true, 0, Secret.PLACEHOLDER, 0, Secret.PLACEHOLDER.length())
        || value.regionMatches(true, 0, "REPLACE_WITH", 0, "REPLACE_WITH".length())) {
      throw s.invalid(name, "is still a placeholder: make one with `openssl rand -hex 32`, the same on every member");
    }
    if (value.length() < MIN_CHARACTERS) {
      throw s.invalid(name, "must be at least " + MIN_CHARACTERS + " characters (e.g. from `openssl rand -hex 32`)");
    }
    return new ClusterSecret(value.getBytes(StandardCharsets.UTF_8));
  }

  /** For tests and tools that build a config in code. */
  public static ClusterSecret of(String value) {
    return new ClusterSecret(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ClusterSecret[hidden]";
  }
}
