package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

/**
 * What a 2xx answer says about one event: a single event's body, or one entry of a batch's {@code results}.
 * Only {@code unavailable} asks for the event again; any value this SDK does not know is final, so a status
 * added by a newer server can never make a build resend forever.
 *
 * @param verdict   what the client does with it
 * @param rawStatus the {@code status} as the server wrote it (null when absent; a non-string value as its JSON)
 */
record Outcome(Verdict verdict, String rawStatus) {

  enum Verdict {
    ACCEPTED, DUPLICATE, SUPPRESSED, REJECTED,
    /** {@code unavailable}: not stored, safe to send again. */
    NOT_STORED,
    UNKNOWN
  }

  /**
   * @param answer        the single event's body or the batch result entry, null when there is none
   * @param absentMeans   the verdict when there is no {@code status} at all
   */
  static Outcome of(JsonObject answer, Verdict absentMeans) {
    Object status = answer == null ? null : answer.getValue("status");
    if (status == null) {
      return new Outcome(absentMeans, null);
    }
    if (!(status instanceof String text)) {
      return new Outcome(Verdict.UNKNOWN, String.valueOf(status));
    }
    Verdict verdict = switch (text) {
      case "accepted" -> Verdict.ACCEPTED;
      // the suppressed answer reuses a status every shipped build takes as final, and flags it
      case "duplicate" -> Boolean.TRUE.equals(answer.getValue("suppressed")) ? Verdict.SUPPRESSED
          : Verdict.DUPLICATE;
      case "rejected" -> Verdict.REJECTED;
      case "unavailable" -> Verdict.NOT_STORED;
      default -> Verdict.UNKNOWN;
    };
    return new Outcome(verdict, text);
  }
}
