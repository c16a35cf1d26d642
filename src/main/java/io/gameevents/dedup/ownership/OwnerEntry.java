package io.gameevents.dedup.ownership;

import io.gameevents.cluster.ClusterKey;

import java.util.regex.Pattern;

/**
 * A dedup partition's entry in the owner map ({@code Pipeline.DEDUP_OWNERS}): the owner ({@code nodeId#instance})
 * that serves it, or, once released, the owner that gave it up and the token of the address its ids are served at
 * (new for every handover: an address reused by an earlier handover of the same partition could still be listed,
 * stale, in some node's routing). Stored as text with a proof of {@code cluster.secret} over the partition and
 * every field, so an entry that does not verify, copied from another partition or written by a process without
 * the secret, is not an owner at all.
 *
 * @param token null unless released
 */
public record OwnerEntry(String owner, String token) {

  private static final String VERSION = "v1";
  private static final String OWNS = "owns";
  private static final String RELEASED = "released";
  private static final String KIND = "owner-entry";
  private static final char SEPARATOR = ';';
  /** An entry is short; a longer value is not ours and is not even split. */
  private static final int MAX_CHARS = 512;
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._:-]{1,128}#[0-9]{1,4}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public OwnerEntry {
    if (owner == null || !OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException("an owner is nodeId#instance");
    }
    if (token != null && !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("a handover token is letters, digits and dashes");
    }
  }

  /** The entry of an owner serving its partition. */
  public static OwnerEntry owns(String owner) {
    return new OwnerEntry(owner, null);
  }

  /**
   * The entry an owner leaves when it gives a partition up in order: it stopped accepting, its reservations
   * settled, and it serves the ids to whoever claims the partition next, at the address of {@code token}.
   */
  public static OwnerEntry released(String owner, String token) {
    return new OwnerEntry(owner, java.util.Objects.requireNonNull(token));
  }

  public boolean isReleased() {
    return token != null;
  }

  /** Whether this entry says {@code owner} serves the partition. */
  public boolean servedBy(String owner) {
    return !isReleased() && this.owner.equals(owner);
  }

  /** The node of the owner. */
  public String node() {
    return owner.substring(0, owner.lastIndexOf('#'));
  }

  /** The entry as the map stores it for {@code partition}, with its proof. */
  public String format(int partition, ClusterKey key) {
    String kind = isReleased() ? RELEASED : OWNS;
    String tokenText = isReleased() ? token : "";
    return VERSION + SEPARATOR + kind + SEPARATOR + owner + SEPARATOR + tokenText + SEPARATOR
        + key.prove(KIND, partition, kind, owner, tokenText);
  }

  /**
   * The entry {@code raw} holds for {@code partition}, or null when it is not one (another type, malformed, or a
   * proof that does not verify).
   */
  public static OwnerEntry parse(int partition, Object raw, ClusterKey key) {
    String[] fields = fields(raw);
    if (fields == null) {
      return null;
    }
    String kind = fields[1];
    String owner = fields[2];
    String tokenText = fields[3];
    boolean released = RELEASED.equals(kind);
    if (!(released || OWNS.equals(kind)) || released == tokenText.isEmpty() || !OWNER.matcher(owner).matches()
        || (released && !TOKEN.matcher(tokenText).matches())
        || !key.verifies(fields[4], KIND, partition, kind, owner, tokenText)) {
      return null;
    }
    return new OwnerEntry(owner, released ? tokenText : null);
  }

  /** The node an unproven entry claims to be of, for a log line; null when it names none readably. */
  public static String claimedNode(Object raw) {
    String[] fields = fields(raw);
    if (fields == null || !OWNER.matcher(fields[2]).matches()) {
      return null;
    }
    return fields[2].substring(0, fields[2].lastIndexOf('#'));
  }

  private static String[] fields(Object raw) {
    if (!(raw instanceof String text) || text.length() > MAX_CHARS) {
      return null;
    }
    String[] fields = text.split(String.valueOf(SEPARATOR), -1);
    return fields.length == 5 && VERSION.equals(fields[0]) ? fields : null;
  }
}
