package io.gameevents.sdk;

/** What became of a sent event, as far as the client knows. */
public enum EventStatus {
  /** Stored by the server. */
  ACCEPTED,
  /** Already stored under the same event_id (typically a retry): as good as accepted. */
  DUPLICATE,
  /** Refused by the server for good (400, 401, 403, 404, 413, 415 or a per-event rejection): not retried. */
  REJECTED,
  /** Not stored: the retry budget ran out on connection errors, timeouts, 408, 429 or 5xx. */
  FAILED;

  /** True when the event is stored on the server. */
  public boolean delivered() {
    return this == ACCEPTED || this == DUPLICATE;
  }
}
