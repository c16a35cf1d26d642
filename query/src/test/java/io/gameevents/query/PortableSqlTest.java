package io.gameevents.query;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gameevents.query.TestLake.install;
import static io.gameevents.query.TestLake.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portable parts of warehouse/snowflake/ (the dedup SELECT, the marts, the fx_rates join) run on DuckDB
 * over a test lake and give the same rows as the query tool's own views and reports.
 */
class PortableSqlTest {

  @TempDir
  Path directory;

  private LocalWarehouse warehouse;

  @BeforeEach
  void lakeWithDuplicatesSeveralDaysAndCurrencies() throws Exception {
    TestLake lake = new TestLake(directory.resolve("events"));
    String day1 = "2026-11-24T10:00:00.123Z";
    String nextDay = "\"occurred_at\":\"2026-11-25T08:00:00.000Z\"";
    lake.sealed(List.of(install("i-1", "a", "ios", day1), install("i-2", "b", "android", day1),
        purchase("p-1", "a", 4_990_000, "EUR", day1), purchase("p-2", "a", 4_990_000, "EUR", day1),
        purchase("p-3", "b", 1_990_000, "USD", day1),
        purchase("p-4", "b", 990_000, "EUR", day1).replace("\"occurred_at\":\"2026-11-24T09:58:00.000Z\"", nextDay)));
    lake.inProgress(List.of(purchase("p-1", "a", 4_990_000, "EUR", "2026-11-24T10:00:09.000Z"),
        install("i-1", "a", "ios", "2026-11-24T09:59:00.000Z")), "{\"event_id\":\"torn");
    warehouse = LocalWarehouse.open(lake.root(), null);
    warehouse.query("CREATE VIEW game_events_raw AS SELECT * FROM game_events", rows -> { });
  }

  @AfterEach
  void close() throws Exception {
    warehouse.close();
  }

  @Test
  void theSnowflakeDedupSelectsTheSameRowsAsTheCleanView() throws Exception {
    CreateTable clean = (CreateTable) CCJSqlParserUtil.parse(SnowflakeSql.statements("02_clean.sql").get(0));
    String snowflakeSelect = clean.getSelect().toString();

    List<String> snowflake = rows("SELECT event_id, received_at FROM (" + snowflakeSelect + ") ORDER BY event_id");
    assertThat(snowflake).isEqualTo(rows("SELECT event_id, received_at FROM game_events_clean ORDER BY event_id"));
    assertThat(snowflake).containsExactly("i-1|2026-11-24T09:59:00.000Z", "i-2|2026-11-24T10:00:00.123Z",
        "p-1|2026-11-24T10:00:00.123Z", "p-2|2026-11-24T10:00:00.123Z", "p-3|2026-11-24T10:00:00.123Z",
        "p-4|2026-11-24T10:00:00.123Z");
  }

  @Test
  void theMartsAgreeWithTheLocalReports() throws Exception {
    for (String sql : SnowflakeSql.statements("03_marts.sql")) {
      warehouse.query(sql, rows -> { }); // CREATE OR REPLACE VIEW daily_...: the Snowflake text, unchanged
    }

    assertThat(sorted(rows("SELECT * FROM daily_installs"))).isEqualTo(rows(Reports.INSTALLS.sql()))
        .containsExactly("2026-11-24|com.game.test|android|1", "2026-11-24|com.game.test|ios|1");
    assertThat(sorted(rows("SELECT * FROM daily_revenue"))).isEqualTo(rows(Reports.REVENUE.sql()))
        .containsExactly("2026-11-24|com.game.test|EUR|2|9.980000", "2026-11-24|com.game.test|USD|1|1.990000",
            "2026-11-25|com.game.test|EUR|1|0.990000");
    assertThat(sorted(rows("SELECT * FROM daily_payers"))).isEqualTo(rows(Reports.PAYERS.sql()))
        .containsExactly("2026-11-24|com.game.test|2", "2026-11-25|com.game.test|1");
  }

  @Test
  void revenueInDollarsWaitsForRatesAndIsExactOnceThereAreSome() throws Exception {
    for (String file : List.of("03_marts.sql", "04_fx_rates.sql")) {
      for (String sql : SnowflakeSql.statements(file)) {
        warehouse.query(sql, rows -> { });
      }
    }

    assertThat(rows("SELECT currency, revenue, revenue_usd FROM daily_revenue_usd ORDER BY event_date, currency"))
        .containsExactly("EUR|9.980000|NULL", "USD|1.990000|NULL", "EUR|0.990000|NULL");
    warehouse.query("INSERT INTO fx_rates VALUES (DATE '2026-11-24', 'EUR', 1.05, 'test'),"
        + " (DATE '2026-11-24', 'USD', 1, 'test')", rows -> { });
    assertThat(rows("SELECT currency, revenue_usd FROM daily_revenue_usd ORDER BY event_date, currency"))
        .containsExactly("EUR|10.479000000000000000", "USD|1.990000000000000000", "EUR|NULL");
  }

  private List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    warehouse.query(sql, result -> {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          String text = ResultFormat.text(result, i);
          row.append(i == 1 ? "" : "|").append(text == null ? "NULL" : text);
        }
        rows.add(row.toString());
      }
    });
    return rows;
  }

  private static List<String> sorted(List<String> rows) {
    return rows.stream().sorted().toList();
  }
}
