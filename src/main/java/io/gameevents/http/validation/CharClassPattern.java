package io.gameevents.http.validation;

import java.util.function.Predicate;

/**
 * A {@code pattern} of the form {@code ^[class]{m,n}$} over ASCII letters, digits and a few punctuation
 * characters (event_id, app_id, country), matched by a table instead of java.util.regex: the profile showed
 * the regex's character-class predicates at ~8% of the service's CPU. networknt compiles patterns with
 * java.util.regex after replacing {@code $} by {@code \z}, and applies them with {@code find()}; for this
 * form, with {@code ^} anchoring at the start of the input only, that matches exactly when every char of the
 * text is in the class and the text has m to n chars (a char outside ASCII, a surrogate included, is in no
 * such class). Any other pattern is left to networknt's own regex engine ({@link #parse} returns null).
 */
final class CharClassPattern implements Predicate<String> {

  /** Literal characters a class may hold here: none of them is special inside a Java or ECMA-262 class. */
  private static final String PLAIN_PUNCTUATION = "._:+/=@~,";

  private final boolean[] allowed = new boolean[128];
  private final int min;
  private final int max;

  private CharClassPattern(int min, int max) {
    this.min = min;
    this.max = max;
  }

  /** The table form of {@code regex}, or null when it is not of the form above. */
  static CharClassPattern parse(String regex) {
    if (!regex.startsWith("^[") || !regex.endsWith("$")) {
      return null;
    }
    int close = regex.indexOf(']', 2);
    if (close < 0) {
      return null;
    }
    int[] bounds = quantifier(regex.substring(close + 1, regex.length() - 1));
    if (bounds == null) {
      return null;
    }
    CharClassPattern pattern = new CharClassPattern(bounds[0], bounds[1]);
    return pattern.addClass(regex.substring(2, close)) ? pattern : null;
  }

  /** {min, max} of "", "+", "*", "{n}", "{m,}", "{m,n}"; null for anything else. */
  private static int[] quantifier(String text) {
    switch (text) {
      case "":
        return new int[] {1, 1};
      case "+":
        return new int[] {1, Integer.MAX_VALUE};
      case "*":
        return new int[] {0, Integer.MAX_VALUE};
      default:
        if (!text.matches("\\{[0-9]{1,6}(,([0-9]{1,6})?)?}")) {
          return null;
        }
        String[] parts = text.substring(1, text.length() - 1).split(",", -1);
        int min = Integer.parseInt(parts[0]);
        int max = parts.length == 1 ? min : parts[1].isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(parts[1]);
        return min <= max ? new int[] {min, max} : null;
    }
  }

  /** Adds letters, digits, ranges of one kind (a-z, A-Z, 0-9) and plain punctuation; '-' only first or last. */
  private boolean addClass(String items) {
    if (items.isEmpty()) {
      return false;
    }
    for (int i = 0; i < items.length(); i++) {
      char c = items.charAt(i);
      if (c == '-' && (i == 0 || i == items.length() - 1)) {
        allowed['-'] = true;
      } else if (i + 2 < items.length() && items.charAt(i + 1) == '-') {
        char last = items.charAt(i + 2);
        if (kind(c) == 0 || kind(c) != kind(last) || c > last) {
          return false;
        }
        for (char member = c; member <= last; member++) {
          allowed[member] = true;
        }
        i += 2;
      } else if (kind(c) != 0 || PLAIN_PUNCTUATION.indexOf(c) >= 0) {
        allowed[c] = true;
      } else {
        return false;
      }
    }
    return true;
  }

  /** 1 for a digit, 2 for an upper-case and 3 for a lower-case ASCII letter, 0 for anything else. */
  private static int kind(char c) {
    if (c >= '0' && c <= '9') {
      return 1;
    }
    if (c >= 'A' && c <= 'Z') {
      return 2;
    }
    return c >= 'a' && c <= 'z' ? 3 : 0;
  }

  @Override
  public boolean test(String text) {
    int length = text.length();
    if (length < min || length > max) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 128 || !allowed[c]) {
        return false;
      }
    }
    return true;
  }
}
