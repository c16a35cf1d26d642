package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** The server's {@code application/problem+json} error body (RFC 9457). */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  static Problem from(JsonObject body, int httpStatus) {
    return new Problem(body.getString("type"), body.getString("title"),
        body.getInteger("status", httpStatus), body.getString("detail"),
        FieldError.listFrom(body.getJsonArray("errors")));
  }
}
