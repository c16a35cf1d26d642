package io.gameevents.privacyrequests;

import java.util.Locale;

/** What a privacy request asks. */
public enum RequestType {
  /** Suppress, then remove the subject's records from every store of every node. */
  ERASE,
  /** New events of the subject are answered suppressed and stored nowhere. */
  SUPPRESS,
  /** Lifts a suppression: the subject's events are stored again. */
  UNSUPPRESS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** null when {@code word} is none of them. */
  static RequestType ofWire(String word) {
    for (RequestType type : values()) {
      if (type.wire().equals(word)) {
        return type;
      }
    }
    return null;
  }
}
