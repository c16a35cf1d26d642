package io.gameevents.logging;

/**
 * Makes text safe for a line of the text layout: a request can put anything in what a line quotes (an id, a
 * header, an exception's message), and a CR, LF or other line or paragraph separator would start a line that
 * looks like the service's own. Each such character comes out as a visible escape, so one logging event is one
 * line (a stack trace's own frame lines aside): {@code \n}, {@code \r}, {@code \t}, {@code \\} for a backslash
 * (so an escape in the input cannot pass for ours), and {@code \}{@code uXXXX} for the other C0 and C1 controls,
 * DEL, U+2028/U+2029 and the bidirectional controls (which reorder what a terminal shows).
 */
public final class LogEscape {

  private LogEscape() {
  }

  /** {@code text} itself when nothing in it needs escaping (the usual case: no copy). */
  public static String escape(String text) {
    int first = firstToEscape(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static int firstToEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || needsEscape(c)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
        || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }
}
