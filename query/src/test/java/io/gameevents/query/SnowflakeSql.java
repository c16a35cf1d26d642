package io.gameevents.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The statements of warehouse/snowflake/*.sql, comments removed, split at the ';' that ends a line. */
final class SnowflakeSql {

  private SnowflakeSql() {
  }

  static Path directory() {
    return Path.of(System.getProperty("gameevents.warehouse.dir", "../warehouse/snowflake"));
  }

  /** warehouse/examples: the schema-versioning and custom-type examples of warehouse/README.md. */
  static Path examples() {
    return directory().resolveSibling("examples");
  }

  static List<Path> files() {
    return sqlFiles(directory());
  }

  static List<Path> sqlFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> statements(String fileName) {
    return statements(directory().resolve(fileName));
  }

  static List<String> statements(Path file) {
    StringBuilder text = new StringBuilder();
    try {
      for (String line : Files.readAllLines(file)) {
        int comment = line.indexOf("--"); // these files keep "--" out of string literals
        text.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> statements = new ArrayList<>();
    for (String statement : text.toString().split(";\\s*\n")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }
}
