package io.gameevents.config;

/**
 * {@code privacy.tombstone_salt}: the secret mixed into the subject hash a tombstone carries to the warehouse, so
 * that the hash of a guessable player id (a number, an e-mail) cannot be reversed by hashing candidates. The
 * operator stores the same salt in Snowflake ({@code privacy_tombstone_salt}) and gives it to the query tool.
 * Unset, erasures still clean this node's stores but send no tombstone (the receipt says so).
 */
public record TombstoneSalt(String value) {

  static final int MIN_LENGTH = 16;

  /** Reads the key from the {@code privacy} section; null when it is not set. */
  public static TombstoneSalt from(Section privacy) {
    String value = privacy.string("tombstone_salt", null);
    if (value == null) {
      return null;
    }
    if (value.regionMatches(true, 0, Secret.PLACEHOLDER, 0, Secret.PLACEHOLDER.length())) {
      throw privacy.invalid("tombstone_salt", "is still a placeholder: make one with 'openssl rand -hex 32'");
    }
    if (value.length() < MIN_LENGTH || value.contains("\n")) {
      throw privacy.invalid("tombstone_salt", "must be at least " + MIN_LENGTH + " characters on one line");
    }
    return new TombstoneSalt(value);
  }

  @Override
  public String toString() {
    return "TombstoneSalt[hidden]";
  }
}
