package io.gameevents.suppression;

import io.gameevents.privacy.Subject;
import io.gameevents.util.SipHash;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The list's name for a subject: SipHash-2-4-128 under a secret key over its kind, its app and its id. The raw id
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
    return of(prefix(subject.appId(), subject.kind()), subject.id());
  }

  /** What every digest of one app's {@code kind} starts with: computed once per app by the list. */
  static byte[] prefix(String appId, Subject.Kind kind) {
    byte[] app = appId.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = new byte[3 + app.length];
    prefix[0] = (byte) (kind == Subject.Kind.PLAYER ? 'p' : 'd');
    // the app's length first, so no (app, id) pair reads as another with the boundary moved
    prefix[1] = (byte) (app.length >>> 8);
    prefix[2] = (byte) app.length;
    System.arraycopy(app, 0, prefix, 3, app.length);
    return prefix;
  }

  /** The hot path's call: one allocation of the input, one SipHash. */
  Digest of(byte[] prefix, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[prefix.length + idBytes.length];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    System.arraycopy(idBytes, 0, input, prefix.length, idBytes.length);
    return hash.hash128(input, input.length, (first, second) -> new Digest(first | 1L, second));
  }

  /** Whether {@code table} holds the digest of ({@code prefix}, {@code id}): no allocation beyond the input. */
  boolean in(DigestTable table, byte[] prefix, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[prefix.length + idBytes.length];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    System.arraycopy(idBytes, 0, input, prefix.length, idBytes.length);
    return hash.hash128(input, input.length, (first, second) -> table.contains(first | 1L, second));
  }
}
