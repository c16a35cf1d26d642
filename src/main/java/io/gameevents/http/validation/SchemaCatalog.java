package io.gameevents.http.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.gameevents.config.ConfigException;
import io.gameevents.config.ValidationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and compiles the schema files {@code <type>.v<N>.json}: {@code schema_directory} first, then
 * {@code schemas/} on the classpath. Files reference each other by relative {@code $ref}
 * ({@code common.v1.json#/$defs/player_id}), resolved against {@link #BASE_IRI} through the same lookup,
 * so a file in schema_directory may also override a built-in one.
 */
final class SchemaCatalog {

  /** The {@code $id} prefix of the built-in schemas; custom schemas may use it or leave out {@code $id}. */
  static final String BASE_IRI = "https://gameevents.io/schemas/";
  static final String COMMON_SCHEMA = BASE_IRI + "common.v1.json";

  static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*\\.json");
  private static final int MAX_CLASSPATH_VERSION = 99;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(SchemaCatalog.class);

  private final Path directory;
  private final Map<String, SortedMap<Integer, EventSchema>> schemasByType = new LinkedHashMap<>();
  /** Every file the compiled schemas were read from, by file name: what GET /schemas/ serves. */
  private final Map<String, String> files = new TreeMap<>();
  private final Map<String, Map<Integer, RecordColumns.Custom>> customColumns = new LinkedHashMap<>();

  private SchemaCatalog(Path directory) {
    this.directory = directory;
  }

  /** Compiles every version of every configured type once; all validation later reuses these. */
  static SchemaCatalog load(ValidationConfig config) {
    Path directory = null;
    if (config.schemaDirectory() != null && !config.schemaDirectory().isBlank()) {
      directory = Path.of(config.schemaDirectory());
      if (!Files.isDirectory(directory)) {
        throw new ConfigException("config key 'validation.schema_directory' names '" + directory
            + "', which is not a directory");
      }
    }
    SchemaCatalog catalog = new SchemaCatalog(directory);
    // draft 2020-12 makes "format" an annotation by default; the contract relies on date-time checks
    SchemaRegistryConfig registryConfig = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemas(catalog::contentOf)
        .schemaRegistryConfig(registryConfig));
    Map<String, Map.Entry<Set<String>, String>> customTypes = new HashMap<>();
    for (String type : config.eventTypes()) {
      SortedMap<Integer, EventSchema> versions = new TreeMap<>();
      Map<Integer, RecordColumns.Custom> columns = new TreeMap<>();
      for (int version : catalog.versionsOf(type)) {
        String fileName = type + ".v" + version + ".json";
        versions.put(version, new EventSchema(catalog.compile(registry, fileName),
            catalog.fastPath(fileName, registryConfig)));
        RecordColumns.Custom custom = RecordColumns.of(fileName, catalog.tree(fileName), catalog::resolve);
        RecordColumns.requireOneTypePerColumn(fileName, custom, customTypes);
        columns.put(version, custom);
      }
      if (versions.isEmpty()) {
        throw new ConfigException("config key 'validation.event_types' names '" + type + "' but no schema file "
            + type + ".v1.json was found " + (directory == null ? "" : "in '" + directory + "' nor ")
            + "on the classpath under schemas/");
      }
      catalog.schemasByType.put(type, Collections.unmodifiableSortedMap(versions));
      catalog.customColumns.put(type, Collections.unmodifiableMap(columns));
    }
    return catalog;
  }

  /** Type to its schemas by version, in configuration order. */
  Map<String, SortedMap<Integer, EventSchema>> schemasByType() {
    return Collections.unmodifiableMap(schemasByType);
  }

  /**
   * The text of every schema file the configured types are made of (their versions and every file they
   * {@code $ref}, such as common.v1.json), by file name, as compiled.
   */
  Map<String, String> files() {
    return Collections.unmodifiableMap(files);
  }

  /** Type to the custom record columns of each of its versions (see {@link RecordColumns}). */
  Map<String, Map<Integer, RecordColumns.Custom>> customColumns() {
    return Collections.unmodifiableMap(customColumns);
  }

  /** The schema file as JSON, read through the same lookup as the compiled schema. */
  private JsonNode tree(String fileName) {
    try {
      return MAPPER.readTree(contentOf(BASE_IRI + fileName));
    } catch (IOException e) {
      throw new ConfigException("schema " + fileName + " (validation.event_types) is not JSON: "
          + firstLine(e.getMessage()));
    }
  }

  /** {@code common.v1.json#/$defs/timestamp} (or the full IRI) to that part of the file; null if not found. */
  private JsonNode resolve(String reference) {
    String relative = reference.startsWith(BASE_IRI) ? reference.substring(BASE_IRI.length()) : reference;
    int hash = relative.indexOf('#');
    String fileName = hash < 0 ? relative : relative.substring(0, hash);
    if (!SAFE_FILE_NAME.matcher(fileName).matches() || contentOf(BASE_IRI + fileName) == null) {
      return null;
    }
    JsonNode target = hash < 0 ? tree(fileName) : tree(fileName).at(relative.substring(hash + 1));
    return target.isMissingNode() ? null : target;
  }

  private Schema compile(SchemaRegistry registry, String fileName) {
    try {
      Schema schema = registry.getSchema(SchemaLocation.of(BASE_IRI + fileName));
      schema.initializeValidators(); // resolves every $ref now: a broken reference fails start-up, not a request
      return schema;
    } catch (RuntimeException e) {
      throw new ConfigException("schema " + fileName + " (validation.event_types) cannot be compiled: "
          + firstLine(e.getMessage()));
    }
  }

  /** The fast path of a compiled schema, or null (logged: that type's events cost ~2 µs more) when it has none. */
  private FastCheck fastPath(String fileName, SchemaRegistryConfig registryConfig) {
    try {
      return FastSchemaCompiler.compile(fileName, name -> contentOf(BASE_IRI + name) == null ? null : tree(name),
          registryConfig);
    } catch (FastSchemaCompiler.Unsupported e) {
      log.info("schema {} is validated by the JSON Schema library alone, without the fast path: {}", fileName,
          e.getMessage());
      return null;
    }
  }

  private Iterable<Integer> versionsOf(String type) {
    TreeMap<Integer, Boolean> versions = new TreeMap<>();
    Pattern fileName = Pattern.compile(Pattern.quote(type) + "\\.v([1-9][0-9]{0,5})\\.json");
    if (directory != null) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, type + ".v*.json")) {
        for (Path file : files) {
          Matcher matcher = fileName.matcher(file.getFileName().toString());
          if (matcher.matches()) {
            versions.put(Integer.parseInt(matcher.group(1)), true);
          }
        }
      } catch (IOException e) {
        throw new ConfigException("config key 'validation.schema_directory': cannot list '" + directory + "': "
            + e.getMessage());
      }
    }
    // a classpath cannot be listed portably: probe v1, v2... up to the first gap
    for (int version = 1; version <= MAX_CLASSPATH_VERSION; version++) {
      if (SchemaCatalog.class.getClassLoader().getResource("schemas/" + type + ".v" + version + ".json") == null) {
        break;
      }
      versions.put(version, true);
    }
    return versions.keySet();
  }

  /** Schema text for an IRI under {@link #BASE_IRI}; null lets the registry report the reference as missing. */
  private String contentOf(String iri) {
    if (!iri.startsWith(BASE_IRI)) {
      return null;
    }
    String fileName = iri.substring(BASE_IRI.length());
    if (!SAFE_FILE_NAME.matcher(fileName).matches()) {
      return null;
    }
    try {
      String text = null;
      if (directory != null && Files.isRegularFile(directory.resolve(fileName))) {
        text = Files.readString(directory.resolve(fileName));
      } else {
        try (InputStream in = classpathResource(fileName)) {
          text = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      if (text != null) {
        files.put(fileName, text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + fileName, e);
    }
  }

  private static InputStream classpathResource(String fileName) {
    return SchemaCatalog.class.getClassLoader().getResourceAsStream("schemas/" + fileName);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
