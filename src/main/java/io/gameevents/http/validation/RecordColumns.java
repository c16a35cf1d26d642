package io.gameevents.http.validation;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.config.ConfigException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which schema fields are record columns. An event field named like a built-in column fills that column
 * and must have its JSON type; every other top-level field a schema declares is a custom column, written
 * after {@code raw_payload} under its own name. Checked when the schema catalog loads, so a custom schema
 * that gives a built-in name another meaning stops start-up instead of loading a wrong value.
 */
final class RecordColumns {

  /** Event fields that fill (or decide) a built-in column, with the one JSON type each may have. */
  private static final Map<String, String> EVENT_FIELDS = eventFields();
  /** Columns the service fills itself (and the warehouse's derived event_date): no event field may take them. */
  private static final Set<String> SERVER_COLUMNS = names(RecordColumn.Source.SERVICE, RecordColumn.EVENT_DATE);
  /** Columns filled from {@code context}: a top-level field of that name would never reach them. */
  private static final Set<String> CONTEXT_COLUMNS = names(RecordColumn.Source.CONTEXT);
  private static final String COMMON_DEFS = "common.v1.json#/$defs/";
  private static final int MAX_REFERENCE_HOPS = 8;

  /**
   * The custom columns of one schema version, in declaration order; written null when an event omits one.
   * {@code jsonTypes} has each field's JSON types (empty when its schema does not say).
   */
  record Custom(List<String> fields, SerializedString[] names, Map<String, Set<String>> jsonTypes) {
    static final Custom NONE = new Custom(List.of(), new SerializedString[0], Map.of());
  }

  private RecordColumns() {
  }

  private static Map<String, String> eventFields() {
    Map<String, String> fields = new HashMap<>();
    RecordColumn.from(RecordColumn.Source.EVENT).forEach(c -> fields.put(c.column(), c.jsonType()));
    fields.put("sent_at", "string"); // clock-skew correction; kept in raw_payload
    fields.put("context", "object"); // fills the CONTEXT columns
    return Map.copyOf(fields);
  }

  private static Set<String> names(RecordColumn.Source source, String... more) {
    Set<String> names = new HashSet<>(Set.of(more));
    RecordColumn.from(source).forEach(c -> names.add(c.column()));
    return Set.copyOf(names);
  }

  /**
   * @param fileName   the schema file, for the message
   * @param references a {@code $ref} (relative to the schemas' base IRI) to the schema it names, or null
   * @throws ConfigException when a field named like a built-in column has another type, or takes a server column
   */
  static Custom of(String fileName, JsonNode schema, Function<String, JsonNode> references) {
    List<String> custom = new ArrayList<>();
    Map<String, Set<String>> types = new HashMap<>();
    for (var field : schema.path("properties").properties()) {
      String name = field.getKey();
      if (SERVER_COLUMNS.contains(name)) {
        throw new ConfigException("schema " + fileName + " (validation.event_types) declares '" + name
            + "', a column the service fills itself; rename the field");
      }
      if (CONTEXT_COLUMNS.contains(name)) {
        throw new ConfigException("schema " + fileName + " (validation.event_types) declares '" + name
            + "' at the top level, but " + name + " is a column filled from context." + name
            + ": reference {\"$ref\": \"" + COMMON_DEFS + "context\"} as 'context' instead");
      }
      String columnType = EVENT_FIELDS.get(name);
      if (columnType == null) {
        custom.add(name);
        types.put(name, jsonTypes(field.getValue(), references));
      } else if (!jsonTypes(field.getValue(), references).equals(Set.of(columnType))) {
        throw new ConfigException("schema " + fileName + " (validation.event_types) declares '" + name
            + "' as " + describe(field.getValue(), references) + ", but " + name + " is a built-in column of type "
            + columnType
            + ": use {\"$ref\": \"" + COMMON_DEFS + name + "\"} or give the field another name");
      }
    }
    if (custom.isEmpty()) {
      return Custom.NONE;
    }
    SerializedString[] names = custom.stream().map(SerializedString::new).toArray(SerializedString[]::new);
    return new Custom(List.copyOf(custom), names, Map.copyOf(types));
  }

  /**
   * All event types share one raw table, so a custom column has one type: the same field name with
   * another JSON type in another schema (another type, or another version) stops start-up.
   *
   * @param seen field name to its types and the first file that declared them, filled across calls
   */
  static void requireOneTypePerColumn(String fileName, Custom custom,
                                      Map<String, Map.Entry<Set<String>, String>> seen) {
    for (String field : custom.fields()) {
      Set<String> types = custom.jsonTypes().get(field);
      if (types.isEmpty()) {
        continue; // a schema without a type (any JSON) does not commit the column to one
      }
      Map.Entry<Set<String>, String> first = seen.putIfAbsent(field, Map.entry(types, fileName));
      if (first != null && !first.getKey().equals(types)) {
        throw new ConfigException("schema " + fileName + " (validation.event_types) declares '" + field + "' as "
            + String.join(" or ", types) + ", but " + first.getValue() + " declares it as "
            + String.join(" or ", first.getKey()) + "; every event type writes the same record table, so a"
            + " column has one type: give one of the fields another name");
      }
    }
  }

  /**
   * JSON types a field schema allows, from "type", "const" or "enum", following "$ref" (such as
   * common.v1.json#/$defs/timestamp); empty when it does not say.
   */
  private static Set<String> jsonTypes(JsonNode fieldSchema, Function<String, JsonNode> references) {
    for (int hops = 0; fieldSchema != null && fieldSchema.has("$ref") && hops < MAX_REFERENCE_HOPS; hops++) {
      fieldSchema = references.apply(fieldSchema.get("$ref").asText());
    }
    Set<String> types = new TreeSet<>();
    if (fieldSchema == null || fieldSchema.has("$ref")) {
      return types;
    }
    JsonNode type = fieldSchema.get("type");
    if (type != null) {
      if (type.isTextual()) {
        types.add(type.textValue());
      } else {
        type.forEach(t -> types.add(t.asText()));
      }
      return types;
    }
    List<JsonNode> values = new ArrayList<>();
    if (fieldSchema.has("const")) {
      values.add(fieldSchema.get("const"));
    }
    fieldSchema.path("enum").forEach(values::add);
    for (JsonNode value : values) {
      types.add(value.isTextual() ? "string" : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number"
          : value.isBoolean() ? "boolean" : value.isObject() ? "object" : value.isArray() ? "array" : "null");
    }
    return types;
  }

  private static String describe(JsonNode fieldSchema, Function<String, JsonNode> references) {
    Set<String> types = jsonTypes(fieldSchema, references);
    String what = types.isEmpty() ? "a schema without a type" : String.join(" or ", types);
    return fieldSchema.has("$ref") ? what + " (through " + fieldSchema.get("$ref") + ")" : what;
  }
}
