package io.gameevents.suppression;

import io.gameevents.privacy.Subject;
import io.gameevents.util.SipHash;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The list's name for a subject: SipHash-2-4-128 of its id under a key of its app and kind, derived from a secret key. The raw id
 * never leaves the request that named it; without the key a digest can be neither reversed nor tested against a
 * guessed id. The same key on every node of a cluster, so every node computes the same digests.
 */
public final class SubjectDigest {

  /** A 128-bit digest; {@code high} always odd, so a table slot of 0 means empty (see {@link DigestTable}). */
  public record Digest(long high, long low) {

    public String hex() {
      return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    /** Null when {@code text} is not 32 lower-case hex characters naming an odd high word. */
    public static Digest parse(String text) {
      if (text == null || text.length() != 32 || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
      long high = HexFormat.fromHexDigitsToLong(text, 0, 16);
      long low = HexFormat.fromHexDigitsToLong(text, 16, 32);
      return (high & 1) == 1 ? new Digest(high, low) : null;
    }
  }

  private final SipHash hash;

  /** @param key 16 secret bytes */
  public SubjectDigest(byte[] key) {
    this.hash = new SipHash(key);
  }

  public Digest of(Subject subject) {
    return of(keyFor(subject.appId(), subject.kind()), subject.id());
  }

  /**
   * The key an (app, kind)'s ids are hashed under: SipHash of the app and kind under the node's key (a PRF's output,
   * so as good a key as any), made once per app by the list. The hot path then hashes the id alone.
   */
  SipHash keyFor(String appId, Subject.Kind kind) {
    byte[] app = appId.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = new byte[1 + app.length];
    prefix[0] = (byte) (kind == Subject.Kind.PLAYER ? 'p' : 'd');
    System.arraycopy(app, 0, prefix, 1, app.length);
    return new SipHash(hash.hash128(prefix));
  }

  /** The digest of {@code id} under its (app, kind) key. */
  static Digest of(SipHash appKey, String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    return appKey.hash128(bytes, bytes.length, (first, second) -> new Digest(first | 1L, second));
  }

  /** Whether {@code table} holds the digest of {@code id}: one allocation (the id's bytes), one SipHash. */
  static boolean in(DigestTable table, SipHash appKey, String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    return appKey.hash128(bytes, bytes.length, (first, second) -> table.contains(first | 1L, second));
  }
}
