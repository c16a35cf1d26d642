package io.gameevents.http.validation;

/**
 * One problem with one field of an event.
 *
 * @param pointer JSON Pointer into the event ({@code /amount_micros}); empty for the event as a whole
 * @param message what is wrong, in words for a game developer ({@code must be a whole number of at least 1})
 */
public record FieldError(String pointer, String message) {
}
