package io.gameevents.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;

/** How a result is printed: an aligned table for a terminal, CSV (RFC 4180), or a JSON array of objects. */
enum ResultFormat {
  TABLE, CSV, JSON,
  /** One JSON object per row and line (NDJSON, like the lake): the right-of-access export. */
  JSONL;

  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  /** The record's own timestamp form: 2026-11-24T09:58:00.000Z. */
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  static ResultFormat named(String name) {
    for (ResultFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new UsageException("unknown format '" + name + "'; formats: table, csv, json, jsonl");
  }

  void print(ResultSet result, PrintStream out) throws SQLException, IOException {
    ResultSetMetaData meta = result.getMetaData();
    List<String> names = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    List<Boolean> json = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      names.add(meta.getColumnLabel(i));
      numeric.add(isNumeric(meta.getColumnTypeName(i)));
      json.add("JSON".equalsIgnoreCase(meta.getColumnTypeName(i)));
    }
    switch (this) {
      case TABLE -> printTable(result, names, numeric, out);
      case CSV -> printCsv(result, names, out);
      case JSON -> printJson(result, names, json, out);
      case JSONL -> printJsonLines(result, names, json, out);
      default -> throw new IllegalStateException(name());
    }
    out.flush();
  }

  private static void printTable(ResultSet result, List<String> names, List<Boolean> numeric, PrintStream out)
      throws SQLException {
    List<String[]> rows = new ArrayList<>();
    int[] widths = names.stream().mapToInt(String::length).toArray();
    while (result.next()) {
      String[] row = new String[names.size()];
      for (int i = 0; i < row.length; i++) {
        String text = text(result, i + 1);
        row[i] = text == null ? "NULL" : text.replace('\n', ' ');
        widths[i] = Math.max(widths[i], row[i].length());
      }
      rows.add(row);
    }
    out.println(line(names.toArray(String[]::new), widths, null));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] row : rows) {
      out.println(line(row, widths, numeric));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(String[] cells, int[] widths, List<Boolean> rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String pad = " ".repeat(widths[i] - cells[i].length());
      boolean right = rightAligned != null && rightAligned.get(i);
      line.append(i == 0 ? "" : " | ").append(right ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    return line.toString();
  }

  private static void printCsv(ResultSet result, List<String> names, PrintStream out) throws SQLException {
    out.print(String.join(",", names.stream().map(ResultFormat::csvField).toList()) + "\r\n");
    while (result.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= names.size(); i++) {
        String text = text(result, i);
        row.append(i == 1 ? "" : ",").append(text == null ? "" : csvField(text));
      }
      out.print(row + "\r\n");
    }
  }

  private static String csvField(String text) {
    if (text.isEmpty() || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  private static void printJson(ResultSet result, List<String> names, List<Boolean> json,
                                PrintStream out) throws SQLException, IOException {
    try (JsonGenerator generator = JSON_FACTORY.createGenerator(out)) {
      generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      generator.writeStartArray();
      while (result.next()) {
        generator.writeStartObject();
        for (int i = 1; i <= names.size(); i++) {
          generator.writeFieldName(names.get(i - 1));
          writeJsonValue(generator, result, i, json.get(i - 1));
        }
        generator.writeEndObject();
      }
      generator.writeEndArray();
    }
    out.println();
  }

  private static void printJsonLines(ResultSet result, List<String> names, List<Boolean> json,
                                     PrintStream out) throws SQLException, IOException {
    while (result.next()) {
      try (JsonGenerator generator = JSON_FACTORY.createGenerator(out)) {
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.writeStartObject();
        for (int i = 1; i <= names.size(); i++) {
          generator.writeFieldName(names.get(i - 1));
          writeJsonValue(generator, result, i, json.get(i - 1));
        }
        generator.writeEndObject();
      }
      out.println();
    }
  }

  private static void writeJsonValue(JsonGenerator generator, ResultSet result, int column, boolean json)
      throws SQLException, IOException {
    Object value = result.getObject(column);
    if (value == null) {
      generator.writeNull();
    } else if (json) {
      generator.writeRawValue(result.getString(column)); // already JSON: embedded, not quoted
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value instanceof Double || value instanceof Float) {
      generator.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Number) {
      generator.writeNumber(exact(value)); // integers and decimals as their exact text: no float on the way out
    } else {
      generator.writeString(text(result, column));
    }
  }

  /** Text of a value: decimals in plain notation, timestamps in ISO 8601; null for SQL NULL. */
  static String text(ResultSet result, int column) throws SQLException {
    Object value = result.getObject(column);
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal || value instanceof BigInteger) {
      return exact(value);
    }
    if (value instanceof OffsetDateTime timestamp) {
      return (timestamp.getNano() % 1_000_000 == 0 ? MILLIS : DateTimeFormatter.ISO_OFFSET_DATE_TIME).format(timestamp);
    }
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    return result.getString(column);
  }

  private static String exact(Object number) {
    if (number instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return number.toString();
  }

  /** Right-aligned in a table. */
  private static boolean isNumeric(String typeName) {
    String type = typeName.toUpperCase(java.util.Locale.ROOT);
    return type.startsWith("DECIMAL") || type.matches("U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?") || type.equals("DOUBLE")
        || type.equals("FLOAT");
  }
}
