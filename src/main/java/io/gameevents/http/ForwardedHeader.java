package io.gameevents.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code for=} of each element of RFC 7239 {@code Forwarded} headers, e.g.
 * {@code for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"}. Commas and semicolons inside quoted
 * strings do not split, so a quoted parameter cannot shift the hops.
 */
final class ForwardedHeader {

  private ForwardedHeader() {
  }

  /**
   * Each element's {@code for} value, unquoted, in order over all lines; "" for an element without one (no
   * address: nothing left of it can be placed); null when there is no header at all.
   */
  static List<String> forHops(List<String> lines) {
    if (lines.isEmpty()) {
      return null;
    }
    List<String> hops = new ArrayList<>();
    for (String line : lines) {
      for (String element : split(line, ',')) {
        hops.add(forValue(element));
      }
    }
    return hops;
  }

  private static String forValue(String element) {
    for (String pair : split(element, ';')) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
        return unquoted(pair.substring(equals + 1).trim());
      }
    }
    return "";
  }

  private static String unquoted(String value) {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() - 1) {
        c = value.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Splits at {@code separator} outside double quotes (a backslash escapes inside them). */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\' && i + 1 < text.length()) {
        part.append(c).append(text.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(part.toString().trim());
        part.setLength(0);
        continue;
      }
      part.append(c);
    }
    parts.add(part.toString().trim());
    return parts;
  }
}
