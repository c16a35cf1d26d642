package io.gameevents.query;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code [--lake DIR] [--refused DIR] [--schemas DIR] [--format table|csv|json|jsonl] [--tombstone-salt SALT]
 * (--report NAME | --player APP_ID PLAYER_ID | "SQL")}.
 */
record QueryOptions(Path lake, Path refused, Path schemas, ResultFormat format, String sql, String tombstoneSalt) {

  static final String USAGE = "usage: java -jar game-events-query.jar [--lake DIR] [--refused DIR] [--schemas DIR]"
      + " [--format table|csv|json|jsonl] [--tombstone-salt SALT]"
      + " (--report " + Reports.labels().replace(", ", "|") + " | --player APP_ID PLAYER_ID | \"SQL\")";
  static final Path DEFAULT_LAKE = Path.of("data", "events");
  /** delivery.file.refused_directory's default: the game_events_refused view reads it. */
  static final Path DEFAULT_REFUSED = Path.of("data", "refused");
  /** The service's own variable for privacy.tombstone_salt: the same value applies the same tombstones. */
  static final String SALT_VARIABLE = "GAME_EVENTS_PRIVACY_TOMBSTONE_SALT";

  static QueryOptions parse(List<String> args) {
    return parse(args, System.getenv());
  }

  static QueryOptions parse(List<String> args, Map<String, String> environment) {
    Path lake = DEFAULT_LAKE;
    Path refused = DEFAULT_REFUSED;
    Path schemas = null;
    ResultFormat format = null;
    String sql = null;
    boolean player = false;
    String salt = environment.get(SALT_VARIABLE);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--lake" -> lake = Path.of(value(args, ++i, arg));
        case "--refused" -> refused = Path.of(value(args, ++i, arg));
        case "--schemas" -> schemas = Path.of(value(args, ++i, arg));
        case "--format" -> format = ResultFormat.named(value(args, ++i, arg).toLowerCase(Locale.ROOT));
        case "--tombstone-salt" -> salt = value(args, ++i, arg);
        case "--report" -> sql = once(sql, Reports.named(value(args, ++i, arg)).sql());
        case "--player" -> {
          String appId = value(args, ++i, arg);
          sql = once(sql, playerExport(appId, value(args, ++i, arg)));
          player = true;
        }
        default -> {
          if (arg.startsWith("--")) {
            throw new UsageException("unknown option " + arg);
          }
          sql = once(sql, arg);
        }
      }
    }
    if (sql == null || sql.isBlank()) {
      throw new UsageException("no query: give a SQL statement, --report NAME or --player APP_ID PLAYER_ID");
    }
    if (salt != null && salt.isBlank()) {
      salt = null;
    }
    if (format == null) {
      format = player ? ResultFormat.JSONL : ResultFormat.TABLE;
    }
    return new QueryOptions(lake, refused, schemas, format, sql, salt);
  }

  /**
   * Right of access: every event of one player, once each (the clean view), as stored, oldest first. Erased rows are
   * not there to export: the views apply the tombstones.
   */
  static String playerExport(String appId, String playerId) {
    return "SELECT * EXCLUDE (" + LakeColumns.EVENT_DATE + ") FROM game_events_clean\n"
        + "WHERE app_id = " + LakeViews.literal(appId) + " AND player_id = " + LakeViews.literal(playerId) + "\n"
        + "ORDER BY occurred_at, event_id";
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  private static String once(String previous, String sql) {
    if (previous != null) {
      throw new UsageException("one query at a time: a SQL statement, --report NAME or --player, not two");
    }
    return sql;
  }
}
