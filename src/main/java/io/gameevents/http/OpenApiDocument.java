package io.gameevents.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * /openapi.yaml: the hand-written template (paths, responses, examples) completed with the event schemas
 * taken from the JSON Schema files the validator compiled, so the document cannot drift from what is
 * validated. JSON Schema 2020-12 is the schema language of OpenAPI 3.1, so the files go in as they are; only
 * their references change, because one document holds them all:
 * <ul>
 *   <li>each file {@code <name>.json} becomes the component {@code <name>} ({@code install.v1}), without
 *       {@code $schema} and {@code $id};</li>
 *   <li>each of its {@code $defs} entries becomes the component {@code <name>.<def>} ({@code common.v1.player_id});</li>
 *   <li>{@code "$ref": "common.v1.json#/$defs/player_id"} becomes {@code "#/components/schemas/common.v1.player_id"};</li>
 *   <li>each event type gets a component of its own name ({@code purchase}: any of its versions) and
 *       {@code Event} is any event type.</li>
 * </ul>
 * Paths {@code /v1/events/<type>} of types this service does not accept are left out, and the {@code type}
 * parameters list the types it does.
 */
final class OpenApiDocument {

  private static final String COMPONENTS = "#/components/schemas/";
  private static final String BASE_IRI = "https://gameevents.io/schemas/";
  private static final Pattern VERSIONED_FILE = Pattern.compile("(.+)\\.v[1-9][0-9]*");
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment");
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiDocument() {
  }

  /**
   * @param files    schema file name to its text, as {@link io.gameevents.http.validation.EventValidator#schemaFiles}
   * @param versions event type to its schema versions, in configuration order
   */
  static ObjectNode build(String templateYaml, Map<String, String> files, Map<String, Set<Integer>> versions) {
    ObjectNode document;
    try {
      document = (ObjectNode) new YAMLMapper().readTree(templateYaml);
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.yaml is not valid YAML", e);
    }
    ObjectNode schemas = document.withObject("/components/schemas");
    Set<String> wholeFileReferences = new HashSet<>();
    Map<String, ObjectNode> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, String> file : files.entrySet()) {
      ObjectNode schema = parse(file.getKey(), file.getValue());
      rewriteReferences(schema, file.getKey(), files.keySet(), wholeFileReferences);
      schema.remove(List.of("$schema", "$id"));
      parsed.put(stem(file.getKey()), schema);
    }
    parsed.forEach((name, schema) -> {
      if (schema.get("$defs") instanceof ObjectNode defs) {
        defs.fields().forEachRemaining(def -> add(schemas, name + "." + def.getKey(), def.getValue()));
        schema.remove("$defs");
      }
      // a file of shared definitions only (common.v1.json) is no schema of its own, unless used as one
      if (!onlyAnnotations(schema) || wholeFileReferences.contains(name)) {
        add(schemas, name, schema);
      }
    });
    ArrayNode anyEvent = JSON.createArrayNode();
    for (Map.Entry<String, Set<Integer>> type : versions.entrySet()) {
      add(schemas, type.getKey(), anyVersion(type.getKey(), type.getValue()));
      anyEvent.addObject().put("$ref", COMPONENTS + type.getKey());
    }
    ObjectNode event = JSON.createObjectNode()
        .put("description", "An event of any type this service accepts; its event_type names the type and "
            + "schema_version the version of the type's schema (default 1).");
    event.set("anyOf", anyEvent);
    add(schemas, "Event", event);
    fitPathsToTypes(document, versions.keySet(), files.keySet());
    return document;
  }

  static String yaml(JsonNode document) {
    try {
      return YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER, YAMLGenerator.Feature.SPLIT_LINES)
          // unquoted where YAML allows, but a text such as info.version "1" must not turn into a number
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES, YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the OpenAPI document cannot be written as YAML", e);
    }
  }

  private static ObjectNode anyVersion(String type, Set<Integer> versions) {
    ObjectNode schema = JSON.createObjectNode();
    if (versions.size() == 1) {
      return schema.put("$ref", COMPONENTS + type + ".v" + versions.iterator().next());
    }
    schema.put("description", "A " + type + " event; schema_version picks the version (default 1).");
    ArrayNode anyOf = schema.putArray("anyOf");
    versions.forEach(version -> anyOf.addObject().put("$ref", COMPONENTS + type + ".v" + version));
    return schema;
  }

  /**
   * {@code "$ref": "<file>#<pointer>"} to a schema file becomes a reference to its component; a reference
   * elsewhere (another site's schema) stays as it is.
   */
  private static void rewriteReferences(JsonNode node, String fileName, Set<String> fileNames,
                                        Set<String> wholeFileReferences) {
    if (node instanceof ObjectNode object) {
      if (object.get("$ref") instanceof TextNode reference) {
        String rewritten = rewrite(reference.textValue(), fileName, fileNames, wholeFileReferences);
        if (rewritten != null) {
          object.put("$ref", rewritten);
        }
      }
      object.elements().forEachRemaining(child -> rewriteReferences(child, fileName, fileNames, wholeFileReferences));
    } else if (node instanceof ArrayNode array) {
      array.elements().forEachRemaining(child -> rewriteReferences(child, fileName, fileNames, wholeFileReferences));
    }
  }

  private static String rewrite(String reference, String fileName, Set<String> fileNames,
                                Set<String> wholeFileReferences) {
    int hash = reference.indexOf('#');
    String file = hash < 0 ? reference : reference.substring(0, hash);
    String pointer = hash < 0 ? "" : reference.substring(hash + 1);
    if (file.startsWith(BASE_IRI)) {
      file = file.substring(BASE_IRI.length());
    }
    String target = file.isEmpty() ? fileName : file;
    if (!fileNames.contains(target) || !pointer.isEmpty() && !pointer.startsWith("/")) {
      return null; // not one of the files, or a named anchor
    }
    String name = stem(target);
    if (pointer.startsWith("/$defs/")) {
      String rest = pointer.substring("/$defs/".length());
      int slash = rest.indexOf('/');
      String def = slash < 0 ? rest : rest.substring(0, slash);
      return COMPONENTS + name + "." + def + (slash < 0 ? "" : rest.substring(slash));
    }
    wholeFileReferences.add(name);
    return COMPONENTS + name + pointer;
  }

  /** Drops {@code /v1/events/<type>} paths of types not accepted here; type parameters list the accepted ones. */
  private static void fitPathsToTypes(ObjectNode document, Set<String> types, Set<String> fileNames) {
    ObjectNode paths = (ObjectNode) document.get("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      Matcher typed = Pattern.compile("/v1/events/([a-z][a-z0-9_]*)").matcher(path.getKey());
      if (typed.matches() && !types.contains(typed.group(1))) {
        it.remove();
      }
    }
    Set<String> schemaNames = new TreeSet<>();
    for (String file : fileNames) {
      Matcher versioned = VERSIONED_FILE.matcher(stem(file));
      if (versioned.matches()) {
        schemaNames.add(versioned.group(1));
      }
    }
    setTypeParameterEnum(paths.path("/v1/events/{type}").path("post"), types);
    setTypeParameterEnum(paths.path("/schemas/{type}.v{version}.json").path("get"), schemaNames);
  }

  private static void setTypeParameterEnum(JsonNode operation, Set<String> values) {
    for (JsonNode parameter : operation.path("parameters")) {
      if ("type".equals(parameter.path("name").asText()) && parameter.get("schema") instanceof ObjectNode schema) {
        ArrayNode allowed = schema.putArray("enum");
        values.forEach(allowed::add);
      }
    }
  }

  private static void add(ObjectNode schemas, String name, JsonNode schema) {
    if (schemas.has(name)) {
      throw new IllegalStateException("openapi.yaml defines the schema component '" + name
          + "', which is generated from the schema files");
    }
    schemas.set(name, schema);
  }

  private static boolean onlyAnnotations(ObjectNode schema) {
    for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!ANNOTATIONS.contains(name)) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode parse(String fileName, String text) {
    try {
      if (JSON.readTree(text) instanceof ObjectNode schema) {
        return schema;
      }
    } catch (JsonProcessingException e) {
      // the validator compiled it, so this is not expected; fall through to the same error
    }
    throw new IllegalStateException("schema file " + fileName + " is not a JSON object");
  }

  private static String stem(String fileName) {
    return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - ".json".length()) : fileName;
  }
}
