package io.gameevents.config;

import java.util.Locale;

/**
 * A static secret as the config holds it: exactly one of {@code key} (plain text, for development) or
 * {@code sha256} (the hex SHA-256 of the key, for production). API keys and admin tokens are both kept so.
 */
public record Secret(String key, String sha256) {

  /**
   * What conf/cluster.json ships instead of real credentials: a value starting with it fails start-up, so an
   * example config cannot go to production with a secret everybody knows.
   */
  static final String PLACEHOLDER = "REPLACE-ME";

  /** Reads {@code key} or {@code sha256} from the entry {@code id} of a credential list. */
  static Secret from(Section s, String id) {
    String key = s.string("key", null);
    String sha256 = s.string("sha256", null);
    refusePlaceholder(s, "key", key, id);
    refusePlaceholder(s, "sha256", sha256, id);
    if ((key == null) == (sha256 == null)) {
      throw s.invalid("key", "or '" + s.key("sha256") + "': set exactly one of them");
    }
    if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw s.invalid("sha256", "must be 64 hex characters (the SHA-256 of the key)");
    }
    if (key != null && key.length() < 8) {
      throw s.invalid("key", "must be at least 8 characters");
    }
    return new Secret(key, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT));
  }

  private static void refusePlaceholder(Section s, String name, String value, String id) {
    if (value != null && value.regionMatches(true, 0, PLACEHOLDER, 0, PLACEHOLDER.length())) {
      throw s.invalid(name, "(id \"" + id + "\") is still a placeholder: make a key with "
          + "'java -jar game-events.jar hash-key' and put its sha256 here");
    }
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
