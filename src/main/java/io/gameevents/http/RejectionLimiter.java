package io.gameevents.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code perSecond} lines a second through for each (reason, cause, credential) of refused
 * requests, and counts the rest exactly: the next line let through for that key says how many were left out
 * since the previous one, and {@link #takeSuppressed} hands over counts that no line has reported by the end
 * of their second, so a burst is accounted for even if nothing follows it. A flood of bad requests thus
 * writes a bounded number of lines whatever its size. Thread-safe: shared by a node's HTTP instances.
 */
final class RejectionLimiter {

  record Key(String reason, String cause, String keyId) {
  }

  record Suppressed(Key key, long count) {
  }

  /** Reasons and causes are fixed words; key ids come from the config or verified JWT subjects. Bound them anyway. */
  static final int MAX_KEYS = 10_000;
  static final String OTHER_KEYS = "(other)";
  /** Windows with nothing to report are forgotten after this many idle seconds. */
  private static final long IDLE_SECONDS = 60;

  private static final class Window {
    long second = Long.MIN_VALUE;
    int lines;
    long suppressed;
    boolean removed;
  }

  private final int perSecond;
  private final LongSupplier clockMillis;
  private final Map<Key, Window> windows = new ConcurrentHashMap<>();

  RejectionLimiter(int perSecond, LongSupplier clockMillis) {
    this.perSecond = perSecond;
    this.clockMillis = clockMillis;
  }

  /** -1: leave this line out; else write it, saying this many were left out since the last one for its key. */
  long admit(String reason, String cause, String keyId) {
    if (perSecond == 0) {
      return -1;
    }
    Key key = new Key(reason, cause, keyId);
    if (!windows.containsKey(key) && windows.size() >= MAX_KEYS) {
      key = new Key(reason, cause, OTHER_KEYS);
    }
    long second = clockMillis.getAsLong() / 1000;
    while (true) {
      Window window = windows.computeIfAbsent(key, k -> new Window());
      synchronized (window) {
        if (window.removed) {
          continue; // forgotten by takeSuppressed meanwhile: take the new one
        }
        if (window.second != second) {
          window.second = second;
          window.lines = 0;
        }
        if (window.lines >= perSecond) {
          window.suppressed++;
          return -1;
        }
        window.lines++;
        long suppressed = window.suppressed;
        window.suppressed = 0;
        return suppressed;
      }
    }
  }

  /**
   * The counts left out that no line has reported, for windows whose second is over ({@code all}: every
   * window, at shutdown); each is handed over once. Forgets windows idle for a while.
   */
  List<Suppressed> takeSuppressed(boolean all) {
    long now = clockMillis.getAsLong() / 1000;
    List<Suppressed> taken = new ArrayList<>();
    windows.forEach((key, window) -> {
      synchronized (window) {
        if (window.suppressed > 0 && (all || window.second < now)) {
          taken.add(new Suppressed(key, window.suppressed));
          window.suppressed = 0;
        } else if (window.suppressed == 0 && window.second < now - IDLE_SECONDS) {
          window.removed = true;
          windows.remove(key, window);
        }
      }
    });
    return taken;
  }

  int keys() {
    return windows.size();
  }
}
