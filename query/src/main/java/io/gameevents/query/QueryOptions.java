package io.gameevents.query;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code [--lake DIR] [--refused DIR] [--schemas DIR] [--format table|csv|json] (--report NAME | "SQL")}. */
record QueryOptions(Path lake, Path refused, Path schemas, ResultFormat format, String sql) {

  static final String USAGE = "usage: java -jar game-events-query.jar [--lake DIR] [--refused DIR] [--schemas DIR]"
      + " [--format table|csv|json] (--report " + Reports.labels().replace(", ", "|") + " | \"SQL\")";
  static final Path DEFAULT_LAKE = Path.of("data", "events");
  /** delivery.file.refused_directory's default: the game_events_refused view reads it. */
  static final Path DEFAULT_REFUSED = Path.of("data", "refused");

  static QueryOptions parse(List<String> args) {
    Path lake = DEFAULT_LAKE;
    Path refused = DEFAULT_REFUSED;
    Path schemas = null;
    ResultFormat format = ResultFormat.TABLE;
    String sql = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--lake" -> lake = Path.of(value(args, ++i, arg));
        case "--refused" -> refused = Path.of(value(args, ++i, arg));
        case "--schemas" -> schemas = Path.of(value(args, ++i, arg));
        case "--format" -> format = ResultFormat.named(value(args, ++i, arg).toLowerCase(Locale.ROOT));
        case "--report" -> sql = once(sql, Reports.named(value(args, ++i, arg)).sql());
        default -> {
          if (arg.startsWith("--")) {
            throw new UsageException("unknown option " + arg);
          }
          sql = once(sql, arg);
        }
      }
    }
    if (sql == null || sql.isBlank()) {
      throw new UsageException("no query: give a SQL statement or --report NAME");
    }
    return new QueryOptions(lake, refused, schemas, format, sql);
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  private static String once(String previous, String sql) {
    if (previous != null) {
      throw new UsageException("one query at a time: a SQL statement or --report NAME, not both");
    }
    return sql;
  }
}
