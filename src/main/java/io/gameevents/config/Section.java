package io.gameevents.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads one JSON config section with typed getters. Every error names the full key
 * ({@code delivery.file.rotate_bytes}); {@link #done()} rejects keys nobody asked for, so a typo
 * fails start-up instead of being silently ignored.
 */
public final class Section {

  /**
   * When set on the reading thread, told every key read and its default: the configuration reference test
   * collects them this way, so docs/configuration.md is checked against what the code reads, not a list kept by hand.
   */
  static final ThreadLocal<BiConsumer<String, Object>> RECORDER = new ThreadLocal<>();

  private final String path;
  private final JsonObject json;
  private final Set<String> read = new HashSet<>();

  public Section(String path, JsonObject json) {
    this.path = path;
    this.json = json == null ? new JsonObject() : json;
  }

  public static Section root(JsonObject json) {
    return new Section("", json);
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    record(name, null);
    read.add(name);
    return json.getValue(name) != null;
  }

  public Section section(String name) {
    Object value = raw(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw invalid(name, "must be an object");
    }
    return new Section(key(name), (JsonObject) value);
  }

  public String string(String name, String fallback) {
    Object value = raw(name, fallback);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw invalid(name, "must be a string");
    }
    return text;
  }

  /** True when the value is a string (e.g. a word standing in for an object). */
  public boolean isString(String name) {
    return raw(name) instanceof String;
  }

  public String requiredString(String name) {
    String value = string(name, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException("config key '" + key(name) + "' is required");
    }
    return value;
  }

  public long longValue(String name, long fallback, long min, long max) {
    Object value = raw(name, fallback);
    long number;
    if (value == null) {
      return fallback;
    } else if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      number = n.longValue();
    } else if (value instanceof String text && text.matches("-?\\d+")) {
      number = Long.parseLong(text); // from an environment variable
    } else {
      throw invalid(name, "must be a whole number");
    }
    if (number < min || number > max) {
      throw invalid(name, "must be between " + min + " and " + max + " (was " + number + ")");
    }
    return number;
  }

  /** A number (whole or not) between min and max; strings from an environment variable are parsed. */
  public double doubleValue(String name, double fallback, double min, double max) {
    Object value = raw(name, fallback);
    double number;
    if (value == null) {
      return fallback;
    } else if (value instanceof Number n) {
      number = n.doubleValue();
    } else if (value instanceof String text && text.matches("-?\\d+(\\.\\d+)?")) {
      number = Double.parseDouble(text);
    } else {
      throw invalid(name, "must be a number");
    }
    if (!(number >= min && number <= max)) {
      throw invalid(name, "must be between " + min + " and " + max + " (was " + number + ")");
    }
    return number;
  }

  public int intValue(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }

  public boolean bool(String name, boolean fallback) {
    Object value = raw(name, fallback);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw invalid(name, "must be true or false");
  }

  public JsonArray array(String name) {
    Object value = raw(name);
    if (value == null) {
      return new JsonArray();
    }
    if (value instanceof String text && text.trim().startsWith("[")) {
      try {
        return new JsonArray(text); // from an environment variable
      } catch (RuntimeException e) {
        throw invalid(name, "is not a valid JSON array");
      }
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(name, "must be an array");
    }
    return array;
  }

  /** A JSON array of strings, or (from an environment variable) a comma-separated list. */
  public List<String> strings(String name, List<String> fallback) {
    record(name, fallback);
    if (!has(name)) {
      return fallback;
    }
    if (raw(name) instanceof String text && !text.trim().startsWith("[")) {
      return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
    JsonArray array = array(name);
    for (Object item : array) {
      if (!(item instanceof String)) {
        throw invalid(name, "must be an array of strings");
      }
    }
    return array.stream().map(String.class::cast).toList();
  }

  public String oneOf(String name, String fallback, Set<String> allowed) {
    String value = string(name, fallback);
    if (!allowed.contains(value)) {
      throw invalid(name, "must be one of " + allowed + " (was '" + value + "')");
    }
    return value;
  }

  public ConfigException invalid(String name, String problem) {
    return new ConfigException("config key '" + key(name) + "' " + problem);
  }

  /** Fails on any key of this section that no getter asked for. */
  public void done() {
    for (String name : json.fieldNames()) {
      if (!read.contains(name)) {
        throw new ConfigException("unknown config key '" + key(name) + "'");
      }
    }
  }

  private Object raw(String name) {
    return raw(name, null);
  }

  private Object raw(String name, Object fallback) {
    record(name, fallback);
    read.add(name);
    return json.getValue(name);
  }

  private void record(String name, Object fallback) {
    BiConsumer<String, Object> recorder = RECORDER.get();
    if (recorder != null) {
      recorder.accept(key(name), fallback);
    }
  }
}
