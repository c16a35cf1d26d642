package io.gameevents.config;

import java.util.List;

/**
 * Which event types are accepted and how old or how far in the future {@code occurred_at} may be.
 * Schemas are {@code <type>.v<version>.json}, looked up in {@code schema_directory} first, then in
 * the built-in {@code schemas/} on the classpath.
 */
public record ValidationConfig(List<String> eventTypes, String schemaDirectory, long maxFutureSeconds,
                               long maxAgeSeconds, int maxPropertiesBytes) {

  static ValidationConfig from(Section s) {
    List<String> types = s.strings("event_types", List.of("install", "purchase"));
    for (String type : types) {
      if (!type.matches("[a-z][a-z0-9_]{0,63}")) {
        throw s.invalid("event_types", "entry '" + type + "' must be lower_snake_case");
      }
    }
    ValidationConfig config = new ValidationConfig(
        types,
        s.string("schema_directory", null),
        s.longValue("max_future_seconds", 24 * 3600, 0, 365L * 24 * 3600),
        s.longValue("max_age_seconds", 30L * 24 * 3600, 60, 10L * 365 * 24 * 3600),
        s.intValue("max_properties_bytes", 16 * 1024, 0, 1000 * 1024));
    s.done();
    return config;
  }
}
