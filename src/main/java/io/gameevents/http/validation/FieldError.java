package io.gameevents.http.validation;

/**
 * One problem with one field of an event.
 *
 * @param pointer JSON Pointer into the event ({@code /amount_micros}); empty for the event as a whole
 * @param message what is wrong, in words for a game developer ({@code must be a whole number of at least 1})
 */
public record FieldError(String pointer, String message) {

  /** Whether one of {@code errors} is about {@code pointer}: one message per field, the first found wins. */
  static boolean anyAt(java.util.List<FieldError> errors, String pointer) {
    for (FieldError error : errors) {
      if (error.pointer().equals(pointer)) {
        return true;
      }
    }
    return false;
  }
}
