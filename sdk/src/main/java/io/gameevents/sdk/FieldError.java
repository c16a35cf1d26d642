package io.gameevents.sdk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One invalid field of an event.
 *
 * @param pointer a JSON pointer into the event, e.g. {@code /amount_micros}
 * @param message what is wrong with it
 */
public record FieldError(String pointer, String message) {

  static List<FieldError> listFrom(JsonArray errors) {
    if (errors == null) {
      return List.of();
    }
    List<FieldError> result = new ArrayList<>();
    for (Object entry : errors) {
      if (entry instanceof JsonObject error) {
        result.add(new FieldError(error.getValue("pointer") instanceof String pointer ? pointer : null,
            error.getValue("message") instanceof String message ? message : null));
      }
    }
    return List.copyOf(result);
  }
}
