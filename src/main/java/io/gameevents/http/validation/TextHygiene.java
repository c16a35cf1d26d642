package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text rules JSON Schema cannot state well, checked in code so a rejection can name the character and its
 * position (1-based, in Unicode characters). Ids ({@link #TOP_LEVEL_IDS}, {@link #CONTEXT_IDS}) must be
 * printable: no C0/C1 control characters, no lone surrogates, no bidirectional controls (which make an id
 * display as another one), no leading or trailing whitespace. Every other string and key of the event may
 * hold any Unicode text but no lone surrogate: Jackson decodes an unpaired surrogate escape (backslash, u,
 * D800) or its CESU-8 bytes into a Java string without complaint, and the warehouse would receive text that
 * is not Unicode. The happy path reads each string once and allocates only the walk's iterators.
 */
final class TextHygiene {

  /** An id field: its name in messages and its JSON Pointer, built once rather than per event. */
  private record IdField(String name, String label, String pointer) {
    static IdField topLevel(String name) {
      return new IdField(name, name, "/" + name);
    }

    static IdField inContext(String name) {
      return new IdField(name, "context." + name, "/context/" + name);
    }
  }

  private static final List<IdField> TOP_LEVEL_IDS = List.of(IdField.topLevel("event_id"),
      IdField.topLevel("player_id"), IdField.topLevel("app_id"), IdField.topLevel("product_id"));
  private static final List<IdField> CONTEXT_IDS = List.of(IdField.inContext("device_id"),
      IdField.inContext("session_id"));

  private static final String ID_RULE = "ids may hold printable text only";
  private static final String UNICODE_RULE = "text must be valid Unicode (an escape such as \\ud83d needs its"
      + " pair, e.g. \\ud83d\\ude00)";

  private TextHygiene() {
  }

  /** Adds an error for each id that breaks the id rules and each other string or key with a lone surrogate. */
  static void check(JsonNode event, List<FieldError> errors) {
    for (int i = 0; i < TOP_LEVEL_IDS.size(); i++) { // indexed: no iterator per event
      checkId(event, TOP_LEVEL_IDS.get(i), errors);
    }
    JsonNode context = event.get("context");
    if (context != null && context.isObject()) {
      for (int i = 0; i < CONTEXT_IDS.size(); i++) {
        checkId(context, CONTEXT_IDS.get(i), errors);
      }
    }
    if (hasLoneSurrogate(event)) {
      addLoneSurrogates(event, "", errors);
    }
  }

  private static void checkId(JsonNode parent, IdField field, List<FieldError> errors) {
    JsonNode value = parent.get(field.name());
    if (value != null && value.isTextual()) {
      String problem = idProblem(field.label(), value.textValue());
      if (problem != null) {
        errors.add(new FieldError(field.pointer(), problem));
      }
    }
  }

  /** Why {@code value} is not a printable id, naming the field and the position; null when it is. */
  static String idProblem(String name, String value) {
    int length = value.length();
    if (length == 0) {
      return null; // the schema's minLength speaks for empty ids
    }
    int position = 0;
    int trailingStart = 0; // position where the run of whitespace at the end starts, 0 while there is none
    int trailingCodePoint = 0;
    for (int i = 0; i < length; ) {
      char c = value.charAt(i);
      position++;
      if (c > 0x20 && c < 0x7f) { // printable ASCII: the usual id, decided without a code point lookup
        trailingStart = 0;
        i++;
        continue;
      }
      int codePoint = value.codePointAt(i); // an unpaired surrogate comes back as itself
      if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
        return name + " has a lone surrogate (" + hex(codePoint) + ") at position " + position + ": " + UNICODE_RULE;
      }
      String kind = forbiddenKind(codePoint);
      if (kind != null) {
        return name + " has " + kind + " (" + hex(codePoint) + ") at position " + position + ": " + ID_RULE;
      }
      if (isWhitespace(codePoint)) {
        if (position == 1) {
          return name + " starts with whitespace (" + hex(codePoint) + "): ids may not start or end with"
              + " whitespace";
        }
        if (trailingStart == 0) {
          trailingStart = position;
          trailingCodePoint = codePoint;
        }
      } else {
        trailingStart = 0;
      }
      i += Character.charCount(codePoint);
    }
    return trailingStart == 0 ? null : name + " ends with whitespace (" + hex(trailingCodePoint) + ") from position "
        + trailingStart + ": ids may not start or end with whitespace";
  }

  /** Why a printable-looking character may not be in an id (e.g. "a control character"), or null when it may. */
  private static String forbiddenKind(int codePoint) {
    if (Character.isISOControl(codePoint)) {
      return "a control character";
    }
    if (isBidiControl(codePoint)) {
      return "an invisible bidirectional control character";
    }
    return null;
  }

  static boolean isBidiControl(int codePoint) {
    return codePoint == 0x061c || codePoint == 0x200e || codePoint == 0x200f
        || (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069);
  }

  /** Unicode White_Space (Java's isWhitespace leaves out no-break spaces and includes separators that are not). */
  static boolean isWhitespace(int codePoint) {
    switch (codePoint) {
      case 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
        return true;
      default:
        return (codePoint >= 0x09 && codePoint <= 0x0d) || (codePoint >= 0x2000 && codePoint <= 0x200a);
    }
  }

  private static boolean hasLoneSurrogate(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return loneSurrogatePosition(node.textValue()) > 0;
      case OBJECT:
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          if (loneSurrogatePosition(field.getKey()) > 0 || hasLoneSurrogate(field.getValue())) {
            return true;
          }
        }
        return false;
      case ARRAY:
        for (JsonNode item : node) {
          if (hasLoneSurrogate(item)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  /** The slow path, only for an event known to hold a lone surrogate: errors with JSON Pointers. */
  private static void addLoneSurrogates(JsonNode node, String pointer, List<FieldError> errors) {
    switch (node.getNodeType()) {
      case STRING:
        int position = loneSurrogatePosition(node.textValue());
        if (position > 0 && !FieldError.anyAt(errors, pointer)) {
          errors.add(new FieldError(pointer, "has a lone surrogate (" + surrogateAt(node.textValue(), position)
              + ") at position " + position + ": " + UNICODE_RULE));
        }
        break;
      case OBJECT:
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          String child = pointer + "/" + ErrorMessages.escape(field.getKey());
          int keyPosition = loneSurrogatePosition(field.getKey());
          if (keyPosition > 0 && !FieldError.anyAt(errors, child)) {
            errors.add(new FieldError(child, "the field name has a lone surrogate (" + surrogateAt(field.getKey(),
                keyPosition) + ") at position " + keyPosition + ": " + UNICODE_RULE));
          } else {
            addLoneSurrogates(field.getValue(), child, errors);
          }
        }
        break;
      case ARRAY:
        int index = 0;
        for (JsonNode item : node) {
          addLoneSurrogates(item, pointer + "/" + index++, errors);
        }
        break;
      default:
        break;
    }
  }

  /** 1-based position (in Unicode characters) of the first unpaired surrogate, 0 when there is none. */
  static int loneSurrogatePosition(String text) {
    int position = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      position++;
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return position;
        }
        i++; // a pair is one character
      }
    }
    return 0;
  }

  private static String surrogateAt(String text, int position) {
    return hex(text.codePointAt(text.offsetByCodePoints(0, position - 1)));
  }

  /** U+0000 notation. */
  static String hex(int codePoint) {
    return String.format(Locale.ROOT, "U+%04X", codePoint);
  }
}
