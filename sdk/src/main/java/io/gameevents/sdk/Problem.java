package io.gameevents.sdk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The server's {@code application/problem+json} error body (RFC 9457).
 *
 * @param kept for a refused event (a 400): whether the server kept it in its store of refused events, from
 *             which the studio can replay it once the schema is fixed; null when the answer does not say (an
 *             older server, or a refusal that is not about the event's content)
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, Boolean kept) {

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** Without {@code kept} (the answer does not say). */
  public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    this(type, title, status, detail, errors, null);
  }

  /** Reads what it can: a member of an unexpected JSON type counts as absent (the body is the server's). */
  static Problem from(JsonObject body, int httpStatus) {
    return new Problem(text(body, "type"), text(body, "title"),
        body.getValue("status") instanceof Integer status ? status : httpStatus, text(body, "detail"),
        body.getValue("errors") instanceof JsonArray errors ? FieldError.listFrom(errors) : List.of(), keptOf(body));
  }

  private static String text(JsonObject body, String key) {
    return body.getValue(key) instanceof String text ? text : null;
  }

  /** The {@code kept} flag of a problem or a batch result entry; null when absent or not a boolean. */
  static Boolean keptOf(JsonObject answer) {
    return answer != null && answer.getValue("kept") instanceof Boolean kept ? kept : null;
  }
}
