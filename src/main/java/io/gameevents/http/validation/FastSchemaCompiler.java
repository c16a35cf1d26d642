package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.format.Format;
import com.networknt.schema.format.Formats;
import com.networknt.schema.regex.RegularExpression;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Compiles a schema file into {@link FastCheck}s, at start-up, for the keywords the built-in schemas use
 * (see {@link #compile}). A schema with any other keyword, anywhere it reaches through {@code $ref}, gets no
 * fast path ({@link Unsupported}): networknt alone validates it, as before the fast path existed.
 */
final class FastSchemaCompiler {

  /** Why a schema gets no fast path; the message names the keyword and where it is. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
  /** Keywords without any effect on validation in networknt's 2020-12 dialect. */
  private static final Set<String> ANNOTATIONS = Set.of("$comment", "title", "description", "default", "examples",
      "deprecated", "$defs");
  /** Keywords that change how other schemas resolve: never modelled, wherever they appear in a file. */
  private static final Set<String> RESOLUTION_KEYWORDS = Set.of("$id", "$anchor", "$dynamicAnchor",
      "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary");

  private final Function<String, JsonNode> files;
  private final SchemaRegistryConfig config;
  private final Map<String, FastCheck> references = new HashMap<>();
  private final Deque<String> resolving = new ArrayDeque<>();
  private final Set<String> checkedFiles = new HashSet<>();

  private FastSchemaCompiler(Function<String, JsonNode> files, SchemaRegistryConfig config) {
    this.files = files;
    this.config = config;
  }

  /**
   * The fast path of {@code fileName}. Supported: {@code type}, {@code enum}, {@code const}, {@code minLength},
   * {@code maxLength}, {@code pattern}, {@code format: date-time}, {@code minimum}, {@code maximum},
   * {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code required}, {@code properties},
   * {@code additionalProperties}, {@code minProperties}, {@code maxProperties}, non-recursive {@code $ref} to
   * a file of the catalog or a JSON Pointer in one, boolean schemas, annotations, and a root {@code $schema}
   * of draft 2020-12 and {@code $id} naming the file.
   *
   * @param files  a schema file's tree by file name (null when there is none), the lookup networknt uses
   * @param config the registry configuration networknt compiled the schema with: its regex engine and
   *               whether {@code format} asserts
   */
  static FastCheck compile(String fileName, Function<String, JsonNode> files, SchemaRegistryConfig config)
      throws Unsupported {
    return new FastSchemaCompiler(files, config).reference(fileName, fileName);
  }

  private FastCheck schema(String where, JsonNode schema) throws Unsupported {
    if (schema.isBoolean()) {
      return schema.booleanValue() ? FastCheck.ALWAYS : FastCheck.NEVER;
    }
    if (!schema.isObject()) {
      throw new Unsupported("a schema that is not an object at " + where);
    }
    List<FastCheck> checks = new ArrayList<>();
    boolean text = false;
    boolean number = false;
    boolean object = false;
    for (String keyword : (Iterable<String>) schema::fieldNames) {
      JsonNode value = schema.get(keyword);
      switch (keyword) {
        case "type" -> checks.add(type(where, value));
        case "enum" -> checks.add(stringEnum(where, value));
        case "const" -> checks.add(new FastChecks.Const(value));
        case "$ref" -> checks.add(reference(where, text(where, keyword, value)));
        case "minLength", "maxLength", "pattern", "format" -> text = true;
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> number = true;
        case "required", "properties", "additionalProperties", "minProperties", "maxProperties" -> object = true;
        case "$schema" -> {
          if (!isRoot(where) || !DRAFT_2020_12.equals(value.asText())) {
            throw new Unsupported("$schema " + value + " at " + where + " (only draft 2020-12 at a file's root)");
          }
        }
        default -> {
          if (!ANNOTATIONS.contains(keyword) && !(keyword.equals("$id") && isRoot(where))) {
            throw new Unsupported("keyword '" + keyword + "' at " + where);
          }
        }
      }
    }
    if (text) {
      checks.add(text(where, schema));
    }
    if (number) {
      checks.add(numberRange(where, schema));
    }
    if (object) {
      checks.add(properties(where, schema));
    }
    return FastCheck.allOf(checks);
  }

  /** Whether {@code where} ("file.json#pointer") is a file's root, where $schema and $id may be. */
  private static boolean isRoot(String where) {
    return where.indexOf('#') == where.length() - 1;
  }

  private FastCheck type(String where, JsonNode value) throws Unsupported {
    int allowed = 0;
    Iterable<JsonNode> names = value.isArray() ? value : List.of(value);
    for (JsonNode name : names) {
      int bit = name.isTextual() ? FastChecks.Type.bit(name.textValue()) : 0;
      if (bit == 0) {
        throw new Unsupported("type " + value + " at " + where);
      }
      allowed |= bit;
    }
    if (allowed == 0) {
      throw new Unsupported("an empty type list at " + where);
    }
    return new FastChecks.Type(allowed);
  }

  private FastCheck stringEnum(String where, JsonNode value) throws Unsupported {
    if (!value.isArray()) {
      throw new Unsupported("enum that is not an array at " + where);
    }
    Set<String> members = new HashSet<>();
    for (JsonNode member : value) {
      if (member.isTextual()) {
        members.add(member.textValue()); // other members: their instances get "don't know"
      }
    }
    return new FastChecks.StringEnum(Set.copyOf(members));
  }

  private FastCheck text(String where, JsonNode schema) throws Unsupported {
    Predicate<String> pattern = null;
    if (schema.has("pattern")) {
      pattern = pattern(where, text(where, "pattern", schema.get("pattern")));
    }
    Predicate<String> format = null;
    if (schema.has("format")) {
      format = format(where, text(where, "format", schema.get("format")));
    }
    return new FastChecks.Text(count(where, schema, "minLength", 0), count(where, schema, "maxLength",
        Integer.MAX_VALUE), pattern, format);
  }

  /** A table for a simple character class, else the very regex engine networknt was configured with. */
  private Predicate<String> pattern(String where, String regex) throws Unsupported {
    CharClassPattern simple = CharClassPattern.parse(regex);
    if (simple != null) {
      return simple;
    }
    try {
      RegularExpression compiled = config.getRegularExpressionFactory().getRegularExpression(regex);
      return compiled::matches;
    } catch (RuntimeException e) {
      throw new Unsupported("pattern " + regex + " at " + where + ": " + e.getMessage());
    }
  }

  /** networknt's own date-time check (ethlo ITU, leap seconds included), not a second implementation. */
  private Predicate<String> format(String where, String name) throws Unsupported {
    if (!name.equals("date-time")) {
      throw new Unsupported("format " + name + " at " + where + " (only date-time)");
    }
    if (!Boolean.TRUE.equals(config.getFormatAssertionsEnabled())) {
      throw new Unsupported("format at " + where + " with format assertions not enabled");
    }
    for (Format format : Formats.DEFAULT) {
      if (format.getName().equals(name)) {
        return text -> format.matches(null, text); // DateTimeFormat ignores the execution context
      }
    }
    throw new Unsupported("format " + name + " at " + where + ": networknt has no such format");
  }

  /**
   * The numbers that satisfy every bound: as an inclusive range of longs for whole numbers, each bound rounded
   * inwards, and as the tightest BigDecimal bounds for fractions. Bounds are read as networknt reads them, as
   * the BigDecimal of their text.
   */
  private FastCheck numberRange(String where, JsonNode schema) throws Unsupported {
    BigDecimal lower = null;
    boolean lowerExclusive = false;
    BigDecimal upper = null;
    boolean upperExclusive = false;
    for (String keyword : List.of("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")) {
      JsonNode bound = schema.get(keyword);
      if (bound == null) {
        continue;
      }
      if (!bound.isNumber()) {
        throw new Unsupported(keyword + " " + bound + " at " + where + " (only a number)");
      }
      BigDecimal value = new BigDecimal(bound.asText());
      boolean exclusive = keyword.startsWith("exclusive");
      if (keyword.endsWith("inimum")) {
        int compared = lower == null ? 1 : value.compareTo(lower);
        if (compared > 0 || compared == 0 && exclusive) {
          lower = value;
          lowerExclusive = exclusive;
        }
      } else {
        int compared = upper == null ? -1 : value.compareTo(upper);
        if (compared < 0 || compared == 0 && exclusive) {
          upper = value;
          upperExclusive = exclusive;
        }
      }
    }
    FastChecks.Fractions fractions = new FastChecks.Fractions(lower, lowerExclusive, upper, upperExclusive);
    BigDecimal min = lower == null ? null : lowerExclusive ? lower.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)
        : lower.setScale(0, RoundingMode.CEILING);
    BigDecimal max = upper == null ? null : upperExclusive
        ? upper.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE) : upper.setScale(0, RoundingMode.FLOOR);
    BigDecimal longMin = BigDecimal.valueOf(Long.MIN_VALUE);
    BigDecimal longMax = BigDecimal.valueOf(Long.MAX_VALUE);
    if (min != null && min.compareTo(longMax) > 0 || max != null && max.compareTo(longMin) < 0
        || min != null && max != null && min.compareTo(max) > 0) {
      return new FastChecks.NumberRange(1, 0, fractions); // no long fits: every whole number gets "don't know"
    }
    return new FastChecks.NumberRange(min == null || min.compareTo(longMin) < 0 ? Long.MIN_VALUE
        : min.longValueExact(), max == null || max.compareTo(longMax) > 0 ? Long.MAX_VALUE : max.longValueExact(),
        fractions);
  }

  private FastCheck properties(String where, JsonNode schema) throws Unsupported {
    List<String> required = new ArrayList<>();
    JsonNode requiredNode = schema.get("required");
    if (requiredNode != null) {
      if (!requiredNode.isArray()) {
        throw new Unsupported("required that is not an array at " + where);
      }
      for (JsonNode name : requiredNode) {
        required.add(text(where, "required", name));
      }
    }
    Set<String> declared = new LinkedHashSet<>();
    List<FastCheck> checks = new ArrayList<>();
    JsonNode propertiesNode = schema.get("properties");
    if (propertiesNode != null) {
      if (!propertiesNode.isObject()) {
        throw new Unsupported("properties that is not an object at " + where);
      }
      for (String name : (Iterable<String>) propertiesNode::fieldNames) {
        declared.add(name);
        checks.add(schema(where + "/properties/" + name, propertiesNode.get(name)));
      }
    }
    JsonNode additionalNode = schema.get("additionalProperties");
    FastCheck additional = additionalNode == null ? FastCheck.ALWAYS
        : schema(where + "/additionalProperties", additionalNode);
    return new FastChecks.Properties(required.toArray(new String[0]), declared.toArray(new String[0]),
        checks.toArray(new FastCheck[0]), Set.copyOf(declared), additional, count(where, schema, "minProperties", 0),
        count(where, schema, "maxProperties", Integer.MAX_VALUE));
  }

  /**
   * The check of a {@code $ref}: {@code common.v1.json#/$defs/x}, {@code #/$defs/x} (in the same file) or the
   * full IRI, resolved like the catalog resolves it; compiled once per target. A reference back into a
   * schema being compiled (recursion) is not supported.
   */
  private FastCheck reference(String where, String reference) throws Unsupported {
    String relative = reference.startsWith(SchemaCatalog.BASE_IRI)
        ? reference.substring(SchemaCatalog.BASE_IRI.length()) : reference;
    int hash = relative.indexOf('#');
    String fileName = hash < 0 ? relative : relative.substring(0, hash);
    String pointer = hash < 0 ? "" : relative.substring(hash + 1);
    if (fileName.isEmpty()) {
      fileName = where.substring(0, where.indexOf('#'));
    }
    if (!SchemaCatalog.SAFE_FILE_NAME.matcher(fileName).matches() || !(pointer.isEmpty() || pointer.startsWith("/"))
        || pointer.indexOf('%') >= 0) {
      throw new Unsupported("$ref " + reference + " at " + where);
    }
    String target = fileName + "#" + pointer;
    FastCheck compiled = references.get(target);
    if (compiled != null) {
      return compiled;
    }
    if (resolving.contains(target)) {
      throw new Unsupported("recursive $ref " + reference + " at " + where);
    }
    JsonNode node = file(fileName).at(pointer);
    if (node.isMissingNode()) {
      throw new Unsupported("$ref " + reference + " at " + where + " names nothing");
    }
    resolving.push(target);
    compiled = schema(target, node);
    resolving.pop();
    references.put(target, compiled);
    return compiled;
  }

  /** The file's tree, refused when it holds keywords that change how references resolve. */
  private JsonNode file(String fileName) throws Unsupported {
    JsonNode tree;
    try {
      tree = files.apply(fileName);
    } catch (RuntimeException e) {
      throw new Unsupported(fileName + " cannot be read: " + e.getMessage());
    }
    if (tree == null) {
      throw new Unsupported(fileName + " not found");
    }
    if (checkedFiles.add(fileName)) {
      JsonNode dialect = tree.get("$schema");
      if (dialect != null && !DRAFT_2020_12.equals(dialect.asText())) {
        throw new Unsupported("$schema " + dialect + " of " + fileName + " (only draft 2020-12)");
      }
      JsonNode id = tree.get("$id");
      if (id != null && !(SchemaCatalog.BASE_IRI + fileName).equals(id.asText())) {
        throw new Unsupported("$id " + id + " of " + fileName + " (only the file's own IRI)");
      }
      String keyword = resolutionKeyword(tree, true);
      if (keyword != null) {
        throw new Unsupported("keyword '" + keyword + "' in " + fileName);
      }
    }
    return tree;
  }

  /** The first key of {@link #RESOLUTION_KEYWORDS} anywhere in the tree (the root's $id aside), or null. */
  private static String resolutionKeyword(JsonNode node, boolean root) {
    if (node.isObject()) {
      for (String key : (Iterable<String>) node::fieldNames) {
        if (RESOLUTION_KEYWORDS.contains(key) && !(root && key.equals("$id"))) {
          return key;
        }
        String nested = resolutionKeyword(node.get(key), false);
        if (nested != null) {
          return nested;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        String nested = resolutionKeyword(item, false);
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }

  private static int count(String where, JsonNode schema, String keyword, int none) throws Unsupported {
    JsonNode value = schema.get(keyword);
    if (value == null) {
      return none;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw new Unsupported(keyword + " " + value + " at " + where + " (only a whole number up to 2^31)");
    }
    return value.intValue();
  }

  private static String text(String where, String keyword, JsonNode value) throws Unsupported {
    if (!value.isTextual()) {
      throw new Unsupported(keyword + " " + value + " at " + where + " (only a string)");
    }
    return value.textValue();
  }
}
