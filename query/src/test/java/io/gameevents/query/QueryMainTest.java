package io.gameevents.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.gameevents.query.TestLake.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** The command line: output formats, exit codes, one-line errors, and no network. */
class QueryMainTest {

  private static final String AT = "2026-11-24T10:00:00.123Z";

  @TempDir
  Path directory;

  private Path lakeWithTwoPurchases() throws IOException {
    TestLake lake = new TestLake(directory.resolve("events"));
    lake.sealed(List.of(purchase("p-1", "player_1", 4_990_000, "EUR", AT),
        purchase("p-2", "player, \\\"2\\\"", 990_000, "EUR", AT)));
    return lake.root();
  }

  private static final String SQL = "SELECT event_id, player_id, amount_micros, amount_micros * 0.000001 AS amount,"
      + " properties, received_at FROM game_events ORDER BY event_id";

  @Test
  void theTableIsAlignedForATerminal() throws IOException {
    Query query = Query.run("--lake", lakeWithTwoPurchases().toString(), SQL);

    assertThat(query.exitCode()).isZero();
    assertThat(query.err()).isEmpty();
    assertThat(query.out()).isEqualTo(String.join(System.lineSeparator(),
        "event_id | player_id   | amount_micros | amount   | properties            | received_at",
        "---------+-------------+---------------+----------+-----------------------+-------------------------",
        "p-1      | player_1    |       4990000 | 4.990000 | {\"campaign\":\"winter\"} | 2026-11-24T10:00:00.123Z",
        "p-2      | player, \"2\" |        990000 | 0.990000 | {\"campaign\":\"winter\"} | 2026-11-24T10:00:00.123Z",
        "(2 rows)", ""));
  }

  @Test
  void csvQuotesWhatNeedsQuoting() throws IOException {
    Query query = Query.run("--lake", lakeWithTwoPurchases().toString(), "--format", "csv", SQL);

    assertThat(query.out()).isEqualTo("event_id,player_id,amount_micros,amount,properties,received_at\r\n"
        + "p-1,player_1,4990000,4.990000,\"{\"\"campaign\"\":\"\"winter\"\"}\",2026-11-24T10:00:00.123Z\r\n"
        + "p-2,\"player, \"\"2\"\"\",990000,0.990000,\"{\"\"campaign\"\":\"\"winter\"\"}\",2026-11-24T10:00:00.123Z\r\n");
  }

  @Test
  void jsonHasExactNumbersAndEmbeddedJson() throws IOException {
    Query query = Query.run("--lake", lakeWithTwoPurchases().toString(), "--format", "json",
        SQL + " LIMIT 1");

    assertThat(query.out()).isEqualTo("[{\"event_id\":\"p-1\",\"player_id\":\"player_1\",\"amount_micros\":4990000,"
        + "\"amount\":4.990000,\"properties\":{\"campaign\":\"winter\"},\"received_at\":\"2026-11-24T10:00:00.123Z\"}]"
        + System.lineSeparator());
  }

  @Test
  void badSqlIsOneLineOnStderrAndExitCode2() throws IOException {
    Query syntax = Query.run("--lake", lakeWithTwoPurchases().toString(), "SELEC event_id FROM game_events");
    Query column = Query.run("--lake", lakeWithTwoPurchases().toString(), "SELECT nope FROM game_events");

    assertThat(syntax.exitCode()).isEqualTo(2);
    assertThat(syntax.out()).isEmpty();
    assertThat(syntax.err()).isEqualTo("error: Parser Error: syntax error at or near \"SELEC\"" + System.lineSeparator());
    assertThat(column.exitCode()).isEqualTo(2);
    assertThat(column.err()).startsWith("error: Binder Error: Referenced column \"nope\" not found").hasLineCount(1);
  }

  @Test
  void wrongArgumentsExplainThemselvesWithExitCode2() {
    Query unknownReport = Query.run("--report", "churn");
    Query noQuery = Query.run("--lake", "x");
    Query format = Query.run("--format", "xml", "SELECT 1");

    assertThat(unknownReport.exitCode()).isEqualTo(2);
    assertThat(unknownReport.err()).startsWith("error: unknown report 'churn'; reports: installs, revenue, payers,"
        + " duplicates, refusals" + System.lineSeparator() + "usage: ");
    assertThat(noQuery.exitCode()).isEqualTo(2);
    assertThat(noQuery.err()).startsWith("error: no query: give a SQL statement, --report NAME or --player APP_ID PLAYER_ID");
    assertThat(format.err()).startsWith("error: unknown format 'xml'; formats: table, csv, json, jsonl");
  }

  @Test
  void noExtensionIsFetchedAndTheSettingsCannotBeChanged() throws IOException {
    Path lake = lakeWithTwoPurchases();

    assertThat(Query.csv(lake, "SELECT current_setting('autoinstall_known_extensions') AS install,"
        + " current_setting('autoload_known_extensions') AS autoload")).containsExactly("install,autoload", "false,false");
    // read_json and the JSON type come from the driver itself, not from a downloaded extension
    assertThat(Query.csv(lake, "SELECT extension_name, loaded, install_mode FROM duckdb_extensions()"
        + " WHERE extension_name IN ('json', 'icu') ORDER BY 1"))
        .containsExactly("extension_name,loaded,install_mode", "icu,true,STATICALLY_LINKED",
            "json,true,STATICALLY_LINKED");
    Query unlock = Query.run("--lake", lake.toString(), "SET autoinstall_known_extensions = true");
    assertThat(unlock.exitCode()).isEqualTo(2);
    assertThat(unlock.err()).contains("the configuration has been locked");
  }
}
