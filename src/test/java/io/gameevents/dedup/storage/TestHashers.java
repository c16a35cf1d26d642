package io.gameevents.dedup.storage;

import io.gameevents.config.HashKey;

import java.util.HexFormat;

/** A fixed dedup key for tests and benchmarks that need identities but no particular key. */
public final class TestHashers {

  public static final DedupHasher KEYED =
      new DedupHasher(new HashKey(HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100")));

  private TestHashers() {
  }
}
