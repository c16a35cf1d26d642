package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The keyword checks of the validation fast path, each mirroring one networknt 2.0.8 keyword validator
 * (named in its comment) for the nodes a JSON parser produces. Where networknt's rule has an edge the check
 * does not model (a fractional bound, a float node, a binary node), the check says "don't know" (false).
 */
final class FastChecks {

  private FastChecks() {
  }

  /** {@code type} (TypeValidator, UnionTypeValidator): a bit per allowed JSON type. */
  record Type(int allowed) implements FastCheck {
    static final int OBJECT = 1;
    static final int ARRAY = 2;
    static final int STRING = 4;
    static final int INTEGER = 8;
    static final int NUMBER = 16;
    static final int BOOLEAN = 32;
    static final int NULL = 64;

    /** The bit of a type name, 0 for a name JSON Schema does not define. */
    static int bit(String name) {
      return switch (name) {
        case "object" -> OBJECT;
        case "array" -> ARRAY;
        case "string" -> STRING;
        case "integer" -> INTEGER;
        case "number" -> NUMBER;
        case "boolean" -> BOOLEAN;
        case "null" -> NULL;
        default -> 0;
      };
    }

    @Override
    public boolean passes(JsonNode node) {
      return switch (node.getNodeType()) {
        case OBJECT -> has(OBJECT);
        case ARRAY -> has(ARRAY);
        case STRING -> has(STRING);
        case BOOLEAN -> has(BOOLEAN);
        case NULL -> has(NULL);
        // draft 6 on, 1.0 is an integer: networknt asks canConvertToExactIntegral of a non-integral number too
        case NUMBER -> has(NUMBER) || has(INTEGER) && (node.isIntegralNumber() || node.canConvertToExactIntegral());
        default -> false; // binary, POJO, missing: never parsed from JSON, not modelled
      };
    }

    private boolean has(int type) {
      return (allowed & type) != 0;
    }
  }

  /**
   * {@code minLength}, {@code maxLength} (in code points, as networknt counts), {@code pattern} and
   * {@code format}; each ignores a node that is not a string.
   *
   * @param pattern null when the schema has none
   * @param format  null when the schema has none (or format is an annotation only)
   */
  record Text(int minLength, int maxLength, Predicate<String> pattern, Predicate<String> format)
      implements FastCheck {
    @Override
    public boolean passes(JsonNode node) {
      if (!node.isTextual()) {
        return node.getNodeType() != JsonNodeType.BINARY; // networknt treats binary as a string
      }
      String text = node.textValue();
      return lengthFits(text) && (pattern == null || pattern.test(text)) && (format == null || format.test(text));
    }

    private boolean lengthFits(String text) {
      int chars = text.length();
      // a code point is 1 or 2 chars: count them only when the char count alone cannot decide
      if (chars <= maxLength && (chars + 1) / 2 >= minLength) {
        return true;
      }
      int codePoints = text.codePointCount(0, chars);
      return codePoints >= minLength && codePoints <= maxLength;
    }
  }

  /**
   * {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum} (MinimumValidator...):
   * whole numbers against an inclusive range of longs (networknt compares them exactly, as a long or as the
   * BigDecimal of their text), fractions against {@code fractions}. Anything else (an infinite or a huge
   * double, a float) gets "don't know".
   *
   * @param fractions the bounds for a number with a fraction
   */
  record NumberRange(long min, long max, Fractions fractions) implements FastCheck {
    /** 2^53: below it every whole number is a double; larger whole doubles are left to networknt. */
    private static final double EXACT_DOUBLES = 0x1p53;

    @Override
    public boolean passes(JsonNode node) {
      if (!node.isNumber()) {
        return true;
      }
      long value;
      if (node.isInt() || node.isLong() || node.isShort()) {
        value = node.longValue();
      } else if (node.isBigInteger() && node.bigIntegerValue().bitLength() < 64) {
        value = node.longValue();
      } else if (!node.isDouble() || !Double.isFinite(node.doubleValue())) {
        return false;
      } else if (!node.canConvertToExactIntegral()) {
        // a fraction: networknt compares new BigDecimal(asText()) (a fraction fails type integer anyway)
        return fractions.admit(new BigDecimal(node.asText()));
      } else if (Math.abs(node.doubleValue()) <= EXACT_DOUBLES
          && new BigDecimal(node.asText()).compareTo(BigDecimal.valueOf((long) node.doubleValue())) == 0) {
        // networknt reads a whole double as (long) value or as new BigDecimal(asText()), depending on the
        // schema: decided only where both readings are the same whole number (1.0, 1e2, -0.0)
        value = (long) node.doubleValue();
      } else {
        return false;
      }
      return value >= min && value <= max;
    }
  }

  /** The tightest lower and upper bound, each null when there is none. */
  record Fractions(BigDecimal lower, boolean lowerExclusive, BigDecimal upper, boolean upperExclusive) {
    boolean admit(BigDecimal value) {
      if (lower != null) {
        int compared = value.compareTo(lower);
        if (compared < 0 || compared == 0 && lowerExclusive) {
          return false;
        }
      }
      if (upper != null) {
        int compared = value.compareTo(upper);
        return compared < 0 || compared == 0 && !upperExclusive;
      }
      return true;
    }
  }

  /** {@code enum} (EnumValidator) for its string members; any other instance gets "don't know". */
  record StringEnum(Set<String> members) implements FastCheck {
    @Override
    public boolean passes(JsonNode node) {
      return node.isTextual() && members.contains(node.textValue());
    }
  }

  /** {@code const} (ConstValidator): numbers by value (1 = 1.0), anything else by JsonNode equality. */
  record Const(JsonNode value) implements FastCheck {
    @Override
    public boolean passes(JsonNode node) {
      if (value.isNumber() && node.isNumber()) {
        return value.decimalValue().compareTo(node.decimalValue()) == 0;
      }
      return value.equals(node);
    }
  }

  /**
   * {@code required}, {@code properties}, {@code additionalProperties}, {@code minProperties},
   * {@code maxProperties}; each ignores a node that is not an object.
   *
   * @param names      the names under {@code properties}
   * @param checks     their checks, by the same index
   * @param additional the check of every other property: {@link FastCheck#ALWAYS} when they are allowed,
   *                   {@link FastCheck#NEVER} for {@code additionalProperties: false}
   */
  record Properties(String[] required, String[] names, FastCheck[] checks, Set<String> declared,
                    FastCheck additional, int minProperties, int maxProperties) implements FastCheck {
    @Override
    public boolean passes(JsonNode node) {
      if (!node.isObject()) {
        return true;
      }
      int size = node.size();
      if (size < minProperties || size > maxProperties) {
        return false;
      }
      for (String name : required) {
        if (node.get(name) == null) {
          return false;
        }
      }
      int declaredPresent = 0;
      for (int i = 0; i < names.length; i++) { // lookups by declared name: no iterator per event
        JsonNode value = node.get(names[i]);
        if (value != null) {
          declaredPresent++;
          if (!checks[i].passes(value)) {
            return false;
          }
        }
      }
      if (declaredPresent == size || additional == ALWAYS) {
        return true;
      }
      if (additional == NEVER) {
        return false;
      }
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        if (!declared.contains(property.getKey()) && !additional.passes(property.getValue())) {
          return false;
        }
      }
      return true;
    }
  }
}
