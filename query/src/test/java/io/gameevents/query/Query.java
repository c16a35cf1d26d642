package io.gameevents.query;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in-process and keeps what it printed. */
record Query(int exitCode, String out, String err) {

  static Query run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = QueryMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Query(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** CSV rows of a query over {@code lake}, header first (no NULL marker: an empty field). */
  static List<String> csv(Path lake, String sql) {
    return csv(List.of("--lake", lake.toString()), sql);
  }

  /** @param sql null when the options name a --report */
  static List<String> csv(List<String> options, String sql) {
    List<String> args = new ArrayList<>(options);
    args.addAll(List.of("--format", "csv"));
    if (sql != null) {
      args.add(sql);
    }
    Query query = run(args.toArray(String[]::new));
    if (query.exitCode() != 0) {
      throw new AssertionError("query failed (" + query.exitCode() + "): " + query.err());
    }
    return List.of(query.out().split("\r\n"));
  }
}
