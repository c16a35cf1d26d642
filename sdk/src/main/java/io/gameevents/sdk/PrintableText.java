package io.gameevents.sdk;

/**
 * The server's rule for id-like and context strings: printable Unicode only. Checked when an event or a context
 * is built, so a bad id shows up in the game, naming the field and the character, not as a rejected event later.
 */
final class PrintableText {

  private PrintableText() {
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException when it is blank or longer than {@code maxLength}, starts or ends with
   *                                  whitespace, or holds a control character, a lone surrogate or a bidi control
   */
  static String require(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, got "
          + value.length());
    }
    if (Character.isWhitespace(value.codePointAt(0)) || Character.isSpaceChar(value.codePointAt(0))) {
      throw new IllegalArgumentException(field + " must not start with whitespace");
    }
    int last = value.codePointBefore(value.length());
    if (Character.isWhitespace(last) || Character.isSpaceChar(last)) {
      throw new IllegalArgumentException(field + " must not end with whitespace");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String problem = problemWith(value, i, c);
      if (problem != null) {
        throw new IllegalArgumentException(field + " has " + problem + " at character " + (i + 1)
            + String.format(" (U+%04X): only printable text is allowed", (int) c));
      }
      if (Character.isHighSurrogate(c)) {
        i++; // the pair was checked as one
      }
    }
    return value;
  }

  private static String problemWith(String value, int i, char c) {
    if (Character.isISOControl(c)) {
      return "a control character";
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)) ? null : "a lone surrogate";
    }
    if (Character.isLowSurrogate(c)) {
      return "a lone surrogate";
    }
    if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
      return "a bidirectional text control";
    }
    return null;
  }
}
