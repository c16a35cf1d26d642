package io.gameevents.config;

import io.gameevents.delivery.DeliveryConfig;
import io.gameevents.delivery.sinks.SinkTypes;
import io.gameevents.logging.LogSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md against the code: every key the strict reader ({@link Section}) reads is documented with its
 * default, nothing is documented that the reader would refuse, and the environment variables listed are exactly the
 * ones the code reads. The keys are collected by loading configs that take every branch of the reader, with
 * {@link Section#RECORDER} set, so a key added to a config record shows up here without anyone listing it.
 */
class ConfigurationReferenceTest {

  private static final Path PAGE = Path.of("docs/configuration.md");
  private static final Pattern ROW = Pattern.compile("^\\|([^|]*)\\|([^|]*)\\|.*$");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  /**
   * Keys whose default the reader computes from other values, so the fallback it is handed is not the documented
   * default: a rate limit's burst is its rate, its per-address share a tenth of the key's; the management port is only
   * read when set.
   */
  private static final Pattern COMPUTED_DEFAULT = Pattern.compile(".*rate_limit.*|http\\.management_port");
  private static final Pattern ENV_LITERAL = Pattern.compile("\"(GAME_EVENTS_[A-Z0-9_]+)\"");

  @Test
  void everyKeyTheReaderReadsIsDocumentedWithItsDefaultAndNothingElseIs() throws IOException {
    Map<String, Set<String>> read = keysRead();
    Map<String, String> documented = documentedKeys();

    Set<String> sections = new TreeSet<>();
    read.keySet().forEach(key -> read.keySet().stream()
        .filter(other -> other.startsWith(key + ".") || other.startsWith(key + "[]."))
        .findAny().ifPresent(other -> sections.add(key)));
    Set<String> leaves = new TreeSet<>(read.keySet());
    leaves.removeAll(sections);

    assertThat(documented.keySet()).as("keys in docs/configuration.md the code never reads")
        .isSubsetOf(read.keySet());
    assertThat(leaves).as("keys the code reads that docs/configuration.md does not list")
        .isSubsetOf(documented.keySet());
    List<String> wrongDefaults = new ArrayList<>();
    read.forEach((key, defaults) -> {
      String cell = documented.get(key);
      if (cell != null && !COMPUTED_DEFAULT.matcher(key).matches()) {
        defaults.stream().filter(text -> !cell.replace(" ", "").contains(text))
            .forEach(text -> wrongDefaults.add(key + ": the code's default is " + text + ", the page says " + cell));
      }
    });
    assertThat(wrongDefaults).as("defaults in docs/configuration.md that differ from the code's").isEmpty();
  }

  @Test
  void theEnvironmentVariablesListedAreExactlyTheOnesTheCodeReads() throws IOException {
    Set<String> read = new TreeSet<>(ConfigLoader.ENV.keySet());
    read.add(LogSetup.LEVEL_VARIABLE);
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
        Matcher literal = ENV_LITERAL.matcher(Files.readString(source));
        while (literal.find()) {
          read.add(literal.group(1));
        }
      }
    }
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(PAGE)) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        Matcher code = CODE.matcher(row.group(1));
        while (code.find()) {
          if (code.group(1).startsWith("GAME_EVENTS_")) {
            documented.add(code.group(1).replaceFirst("=.*", ""));
          }
        }
      }
    }
    assertThat(documented).isEqualTo(read);
  }

  @Test
  void eachVariableIsDocumentedWithTheKeyItOverrides() throws IOException {
    String page = Files.readString(PAGE);
    List<String> missing = new ArrayList<>();
    ConfigLoader.ENV.forEach((variable, key) -> {
      Matcher row = Pattern.compile("(?m)^\\| `" + variable + "` \\| `" + Pattern.quote(key) + "`[^|]*\\|").matcher(page);
      if (!row.find()) {
        missing.add(variable + " -> " + key);
      }
    });
    assertThat(missing).isEmpty();
  }

  /** Key (array items as {@code []}) -> its defaults, as text, over every config loaded. */
  static Map<String, Set<String>> keysRead() throws IOException {
    Map<String, Set<String>> read = new TreeMap<>();
    Section.RECORDER.set((key, fallback) -> {
      Set<String> defaults = read.computeIfAbsent(key.replaceAll("\\[\\d+]", "[]"), k -> new TreeSet<>());
      if (fallback instanceof List<?> list) {
        defaults.add(new JsonArray(new ArrayList<>(list)).encode());
      } else if (fallback != null) {
        defaults.add(String.valueOf(fallback));
      }
    });
    try {
      for (JsonObject config : everyBranch()) {
        DeliveryConfig.of(AppConfig.from(config), SinkTypes.ALL); // the delivery stage reads its own section
      }
    } finally {
      Section.RECORDER.remove();
    }
    return read;
  }

  /** The quick-start config with every optional section filled in, once per sink. */
  private static List<JsonObject> everyBranch() throws IOException {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/config.json")));
    JsonObject limit = new JsonObject().put("events_per_second", 10).put("burst", 20)
        .put("per_address", new JsonObject().put("events_per_second", 1).put("burst", 20));
    JsonObject auth = file.getJsonObject("auth");
    auth.put("default_rate_limit", limit.copy());
    auth.getJsonArray("api_keys").getJsonObject(0).put("rate_limit", limit.copy());
    auth.getJsonArray("api_keys").add(new JsonObject().put("id", "hashed").put("sha256", "a".repeat(64))
        .put("app_ids", new JsonArray().add("*")));
    auth.put("jwt", new JsonObject().put("algorithm", "HS256").put("secret", "s".repeat(32))
        .put("audience", "game-events").put("issuer", "studio").put("kid", "k1").put("rate_limit", limit.copy()));
    file.getJsonObject("admin").getJsonArray("tokens").add(new JsonObject().put("id", "ops").put("sha256", "b".repeat(64)));
    file.getJsonObject("validation").put("schema_directory", "src/main/resources/schemas");
    file.put("cluster", new JsonObject().put("name", "c").put("members", new JsonArray().add("127.0.0.1:5701"))
        .put("tls", new JsonObject().put("cert_path", "c.pem").put("key_path", "k.pem").put("ca_path", "ca.pem")));
    JsonObject firehose = file.copy();
    firehose.getJsonObject("delivery").put("sink", "firehose").getJsonObject("firehose").put("stream_name", "s");
    return List.of(file, firehose);
  }

  /** Config key -> its default cell, from the tables of docs/configuration.md (first cell, every `key` in it). */
  static Map<String, String> documentedKeys() throws IOException {
    Map<String, String> documented = new TreeMap<>();
    for (String line : Files.readAllLines(PAGE)) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        Matcher code = CODE.matcher(row.group(1));
        while (code.find()) {
          String key = code.group(1);
          if (!key.startsWith("GAME_EVENTS_") && key.matches("[a-z0-9_\\[\\].]+")) {
            documented.put(key, row.group(2).trim());
          }
        }
      }
    }
    return documented;
  }

}
