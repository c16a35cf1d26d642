package io.gameevents.debugger;

import io.gameevents.pipeline.Outcome;

import java.util.Locale;

/** What became of an event (or of a request refused before its events were read), as the debugger shows it. */
public enum Status {
  /** Stored now (200). */
  ACCEPTED,
  /** An earlier copy was stored (200). */
  DUPLICATE,
  /** Bad input or credential: 4xx, the client must change something. */
  REJECTED,
  /** Not stored, safe to retry: 503. */
  UNAVAILABLE,
  /** Over the credential's rate limit: 429. */
  RATE_LIMITED,
  /** Its player or device asked not to be tracked: answered 200 ({@code duplicate}, {@code suppressed}), stored nowhere. */
  SUPPRESSED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** {@code accepted}, {@code rate_limited}...: the stream's and the filter's word. */
  public String wire() {
    return wire;
  }

  /** The status of a refusal with this HTTP status. */
  /** A valid event's outcome: stored, a duplicate, or not stored (the client got a 503). */
  static Status of(Outcome outcome) {
    return switch (outcome) {
      case ACCEPTED -> ACCEPTED;
      case DUPLICATE -> DUPLICATE;
      default -> UNAVAILABLE;
    };
  }

  static Status ofRefusal(int httpStatus) {
    return switch (httpStatus) {
      case 429 -> RATE_LIMITED;
      case 503 -> UNAVAILABLE;
      default -> REJECTED;
    };
  }

  /** null when the word is none of them. */
  static Status ofWire(String word) {
    for (Status status : values()) {
      if (status.wire.equals(word)) {
        return status;
      }
    }
    return null;
  }
}
