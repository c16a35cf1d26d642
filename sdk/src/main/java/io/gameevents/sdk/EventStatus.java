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
  FAILED,
  /**
   * Not stored, on purpose: the server does not take this player's events (a privacy request suppressed them; the
   * answer was {@code 200 {"status":"duplicate","suppressed":true}}). Final: never sent again.
   */
  SUPPRESSED,
  /**
   * A 2xx answer with a status this SDK does not know (a newer server): final, never sent again, since a 2xx is
   * the server's last word on the event. {@link EventResponse#serverStatus()} holds the value as the server wrote it.
   */
  UNKNOWN,
  /** Not sent: the player opted out of tracking ({@link GameEventClient#optOut()}). */
  OPTED_OUT;

  /** True when the event is stored on the server. */
  public boolean delivered() {
    return this == ACCEPTED || this == DUPLICATE;
  }
}
