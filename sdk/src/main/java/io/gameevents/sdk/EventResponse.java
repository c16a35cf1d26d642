package io.gameevents.sdk;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one immediate send, after any retries.
 *
 * @param httpStatus the status of the last answer, 0 when no answer came (connection error, timeout)
 * @param status     what became of the event
 * @param eventId    the event's id (the same on every attempt)
 * @param body       the last answer's body as text, "" when there was none
 * @param problem    the problem details of an error answer, or null
 * @param attempts   how many requests were made
 * @param failure    the last connection error or timeout when {@code httpStatus} is 0; a
 *                   {@link RetryAfterBeyondBudgetException} when the server asked to retry later than the retry
 *                   budget allows (status {@code FAILED}, no wait); else null
 * @param requestId  the {@code X-Request-Id} the client sent (the same on every attempt): quote it when asking
 *                   about this send, the server logs it with every attempt; null when nothing was sent
 * @param serverStatus the {@code status} of a 2xx answer as the server wrote it (e.g. {@code accepted}; for
 *                   {@link EventStatus#UNKNOWN} the value this SDK does not know), null otherwise
 */
public record EventResponse(int httpStatus, EventStatus status, String eventId, String body, Problem problem,
                            int attempts, Throwable failure, String requestId, String serverStatus) {

  /** True when the server stored the event (accepted or duplicate). */
  public boolean delivered() {
    return status.delivered();
  }

  public Optional<Problem> problemDetails() {
    return Optional.ofNullable(problem);
  }

  /**
   * For a refused event (a 400): whether the server kept it among its refused events (to be replayed once the
   * schema is fixed); null when the answer does not say. The event is not sent again either way.
   */
  public Boolean kept() {
    return problem == null ? null : problem.kept();
  }

  /** The per-field errors of a 400, empty otherwise. */
  public List<FieldError> fieldErrors() {
    return problem == null ? List.of() : problem.errors();
  }

  @Override
  public String toString() {
    return httpStatus + " " + status + " " + eventId + (failure != null ? " (" + failure + ")" : " " + body)
        + " [request id " + requestId + "]";
  }
}
