package io.gameevents.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The columns a studio's own event types add: the top-level {@code properties} of every
 * {@code <type>.v<N>.json} in the service's {@code validation.schema_directory}, minus the built-in
 * columns. The service appends exactly these fields to the record after {@code raw_payload}; here they
 * get the SQL type their schema declares. A field declared with different types by two schemas is a
 * JSON column: the view does not pick one for the studio.
 */
final class CustomColumns {

  /** SQL type of a custom column and how the view turns the JSON value read from the file into it. */
  enum Kind {
    INTEGER("BIGINT"), NUMBER("DOUBLE"), BOOLEAN("BOOLEAN"), STRING("VARCHAR"), JSON("JSON");

    final String sqlType;

    Kind(String sqlType) {
      this.sqlType = sqlType;
    }

    /**
     * Values are read as JSON and converted here with TRY_CAST, so a value the schema did not foresee
     * becomes NULL in that column (it is still in raw_payload) instead of dropping the whole row.
     */
    String select(String quotedName) {
      return switch (this) {
        case STRING -> "json_extract_string(" + quotedName + ", '$')";
        case JSON -> quotedName;
        default -> "TRY_CAST(" + quotedName + " AS " + sqlType + ")";
      };
    }
  }

  record Column(String name, Kind kind) {
  }

  private static final Pattern SCHEMA_FILE = Pattern.compile("[a-z][a-z0-9_]{0,63}\\.v[1-9][0-9]{0,5}\\.json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CustomColumns() {
  }

  /** No directory: no custom columns. Sorted by name, so the view's columns do not depend on file order. */
  static List<Column> read(Path schemaDirectory) throws IOException {
    if (schemaDirectory == null) {
      return List.of();
    }
    if (!Files.isDirectory(schemaDirectory)) {
      throw new IOException("--schemas " + schemaDirectory + " is not a directory");
    }
    Map<String, Kind> kinds = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(schemaDirectory, "*.v*.json")) {
      for (Path file : files) {
        if (SCHEMA_FILE.matcher(file.getFileName().toString()).matches()) {
          declaredFields(file).forEach((name, kind) -> kinds.merge(name, kind, (a, b) -> a == b ? a : Kind.JSON));
        }
      }
    }
    List<Column> columns = new ArrayList<>();
    kinds.forEach((name, kind) -> columns.add(new Column(name, kind)));
    return columns;
  }

  private static Map<String, Kind> declaredFields(Path file) throws IOException {
    JsonNode schema;
    try {
      schema = MAPPER.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("schema " + file + " is not JSON: " + e.getOriginalMessage());
    }
    Map<String, Kind> fields = new LinkedHashMap<>();
    JsonNode properties = schema.path("properties");
    for (var field : properties.properties()) {
      if (!LakeColumns.RESERVED.contains(field.getKey())) {
        fields.put(field.getKey(), kindOf(field.getValue()));
      }
    }
    return fields;
  }

  /** From "type", or the type of every "enum"/"const" value; anything else (objects, $ref, unions) is JSON. */
  static Kind kindOf(JsonNode fieldSchema) {
    JsonNode type = fieldSchema.get("type");
    if (type != null && type.isTextual()) {
      return switch (type.textValue()) {
        case "integer" -> Kind.INTEGER;
        case "number" -> Kind.NUMBER;
        case "boolean" -> Kind.BOOLEAN;
        case "string" -> Kind.STRING;
        default -> Kind.JSON;
      };
    }
    List<JsonNode> values = new ArrayList<>();
    if (fieldSchema.has("const")) {
      values.add(fieldSchema.get("const"));
    }
    fieldSchema.path("enum").forEach(values::add);
    Kind kind = null;
    for (JsonNode value : values) {
      Kind valueKind = value.isTextual() ? Kind.STRING : value.isIntegralNumber() ? Kind.INTEGER
          : value.isNumber() ? Kind.NUMBER : value.isBoolean() ? Kind.BOOLEAN : Kind.JSON;
      kind = kind == null || Objects.equals(kind, valueKind) ? valueKind : Kind.JSON;
    }
    return kind == null ? Kind.JSON : kind;
  }
}
