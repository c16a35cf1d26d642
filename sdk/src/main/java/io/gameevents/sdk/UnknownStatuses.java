package io.gameevents.sdk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs one WARNING per distinct status this SDK does not know in a 2xx answer (per client), not one per event:
 * a newer server answering a whole session that way would flood the game's log.
 * The value comes from the server, so the log shows it shortened and with control characters escaped, and at most
 * {@link #MAX_DISTINCT} values are remembered.
 */
final class UnknownStatuses {

  static final int MAX_DISTINCT = 32;
  private static final int MAX_LOGGED_CHARS = 64;
  private static final System.Logger LOG = System.getLogger(UnknownStatuses.class.getName());

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  /** Warns the first time this value is seen. */
  void seen(String eventId, String rawStatus) {
    String key = String.valueOf(rawStatus);
    if (warned.size() < MAX_DISTINCT && warned.add(key)) {
      LOG.log(System.Logger.Level.WARNING, "event " + eventId + " was answered with a status this SDK does not"
          + " know: " + printable(rawStatus) + "; taken as final, not sent again (status UNKNOWN; a newer SDK may"
          + " know it). Later events answered the same way are not logged again");
    }
  }

  /** Quoted, at most 64 characters, control characters as {@code \\uXXXX}. */
  static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("\"");
    int end = Math.min(value.length(), MAX_LOGGED_CHARS);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || Character.isSurrogate(c) || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
    return value.length() > end ? out.append("...").toString() : out.toString();
  }
}
