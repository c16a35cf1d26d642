package io.gameevents.http.refused;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@code app_version} label of the refusal counter, bounded: a client writes its own app_version, so taken as
 * sent it would make a new time series per request. The first {@code max} well-formed versions this node sees
 * get a label of their own for the node's life; later ones, and malformed ones, are {@code other}, and an event
 * without one is {@code none}. The exact version of every kept refusal is in the refused stream; the label is
 * for the alert, which fires on {@code other} too.
 */
final class AppVersionLabels {

  static final String NONE = "none";
  static final String OTHER = "other";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._+-]{1,32}");

  private final int max;
  private final ConcurrentHashMap<String, Boolean> labelled = new ConcurrentHashMap<>();

  AppVersionLabels(int max) {
    this.max = max;
  }

  String label(String appVersion) {
    if (appVersion == null) {
      return NONE;
    }
    if (labelled.containsKey(appVersion)) {
      return appVersion;
    }
    if (labelled.size() >= max || !WELL_FORMED.matcher(appVersion).matches()
        || appVersion.equals(NONE) || appVersion.equals(OTHER)) {
      return OTHER;
    }
    synchronized (labelled) { // the bound holds even when two event loops meet a new version at once
      if (labelled.size() >= max && !labelled.containsKey(appVersion)) {
        return OTHER;
      }
      labelled.putIfAbsent(appVersion, Boolean.TRUE);
    }
    return appVersion;
  }
}
