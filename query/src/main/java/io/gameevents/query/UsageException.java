package io.gameevents.query;

/** Wrong command-line arguments; the message is printed as is, with the usage line. */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message);
  }
}
