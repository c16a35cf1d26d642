package io.gameevents.sdk;

/**
 * The server's text rules (event contract v1), checked when an event or a context is built, so a bad value shows
 * up in the game, naming the field and the position, not as a rejected event later:
 * <ul>
 *   <li>ids (player_id, product_id, context.device_id, context.session_id): printable Unicode only, no control
 *   character, no lone surrogate, no bidirectional control, no whitespace at either end;</li>
 *   <li>any other string: no lone surrogate (it cannot be encoded as UTF-8).</li>
 * </ul>
 * Positions count characters (code points) from 1, as the server's messages do.
 */
final class PrintableText {

  private PrintableText() {
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException when it is blank or longer than {@code maxLength}, or not printable text
   */
  static String requireId(String field, String value, int maxLength) {
    requireLength(field, value, maxLength);
    int position = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      position++;
      String kind = forbiddenInId(codePoint);
      if (kind != null) {
        throw new IllegalArgumentException(field + " has " + kind + String.format(" (U+%04X)", codePoint)
            + " at position " + position + ": ids must be printable text");
      }
      i += Character.charCount(codePoint);
    }
    if (isWhitespace(value.codePointAt(0))) {
      throw new IllegalArgumentException(field + " must not start with whitespace");
    }
    if (isWhitespace(value.codePointBefore(value.length()))) {
      throw new IllegalArgumentException(field + " must not end with whitespace");
    }
    return value;
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException when it is empty, longer than {@code maxLength} or holds a lone surrogate
   */
  static String requireText(String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, got "
          + value.length());
    }
    int position = 0;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      position++;
      if (Character.isSurrogate((char) codePoint) && Character.charCount(codePoint) == 1) {
        throw new IllegalArgumentException(field + " has a lone surrogate" + String.format(" (U+%04X)", codePoint)
            + " at position " + position + ": it cannot be sent as UTF-8");
      }
      i += Character.charCount(codePoint);
    }
    return value;
  }

  private static void requireLength(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, got "
          + value.length());
    }
  }

  /** What makes this character unfit for an id, or null. An unpaired surrogate comes as itself. */
  private static String forbiddenInId(int codePoint) {
    if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
      return "a lone surrogate";
    }
    if (Character.isISOControl(codePoint)) {
      return "a control character";
    }
    if (codePoint == 0x061c || codePoint == 0x200e || codePoint == 0x200f
        || (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) {
      return "an invisible bidirectional control character";
    }
    return null;
  }

  /** Unicode White_Space, as the server counts it (Java's isWhitespace leaves out the no-break spaces). */
  private static boolean isWhitespace(int codePoint) {
    return switch (codePoint) {
      case 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000 -> true;
      default -> (codePoint >= 0x09 && codePoint <= 0x0d) || (codePoint >= 0x2000 && codePoint <= 0x200a);
    };
  }
}
