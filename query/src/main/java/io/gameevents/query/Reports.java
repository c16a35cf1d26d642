package io.gameevents.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ready-made queries of {@code --report NAME}; their SQL is in reports/NAME.sql beside this class. */
enum Reports {
  INSTALLS, REVENUE, PAYERS, DUPLICATES, REFUSALS;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  String sql() {
    try (InputStream in = Reports.class.getResourceAsStream("reports/" + label() + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("reports/" + label() + ".sql is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reports named(String label) {
    for (Reports report : values()) {
      if (report.label().equals(label)) {
        return report;
      }
    }
    throw new UsageException("unknown report '" + label + "'; reports: " + labels());
  }

  static String labels() {
    return Arrays.stream(values()).map(Reports::label).collect(Collectors.joining(", "));
  }
}
