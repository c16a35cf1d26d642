package io.gameevents.query;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * {@code java -jar game-events-query.jar [--lake DIR] [--refused DIR] [--schemas DIR] [--format table|csv|json|jsonl] "SQL"}:
 * SQL over the file sink's directory through the views game_events and game_events_clean (erased players left out),
 * and over its refused events ({@code --refused}, default data/refused) through game_events_refused;
 * {@code --player APP_ID PLAYER_ID} exports one player's events as JSON lines.
 * Exit codes: 0 answered, 2 a wrong argument or a statement DuckDB refuses, 1 anything else (I/O).
 */
public final class QueryMain {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  private QueryMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    QueryOptions options;
    try {
      options = QueryOptions.parse(Arrays.asList(args));
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(QueryOptions.USAGE);
      return BAD_INPUT;
    }
    try (LocalWarehouse warehouse = LocalWarehouse.open(options.lake(), options.refused(), options.schemas(),
        options.tombstoneSalt())) {
      warehouse.query(options.sql(), rows -> options.format().print(rows, out));
      return OK;
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return BAD_INPUT;
    } catch (SQLException e) {
      err.println("error: " + firstLine(e.getMessage()));
      return e.getMessage() != null && e.getMessage().startsWith("IO Error") ? FAILED : BAD_INPUT;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + firstLine(String.valueOf(e.getMessage())));
      return FAILED;
    }
  }

  /** DuckDB's messages carry the statement and a caret on further lines: one line is the contract. */
  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
