package io.gameevents.query;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.gameevents.query.TestLake.install;
import static io.gameevents.query.TestLake.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The erasure contract on the read side: the local views never show an erased player nor a tombstone, and the
 * statements of warehouse/snowflake/05_privacy.sql, run on DuckDB over the same lake, delete the same rows.
 */
class TombstoneViewsTest {

  private static final String SALT = "salt-0123456789ab";
  private static final String APP = "com.game.test";
  private static final String DAY = "2026-11-24T10:00:00.000Z";
  private static final String TOMBSTONE_AT = "2026-11-24T11:00:00.000Z";

  @TempDir
  Path directory;

  /** The contract's hash, computed here on its own: lower-case hex SHA-256 of salt \n app \n id. */
  private static String hash(String id) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest((SALT + "\n" + APP + "\n" + id).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  /** The tombstone record exactly as the service writes it (WarehouseTombstones in the service). */
  private static String tombstone(String subject, String id, String at) throws Exception {
    return "{\"event_id\":\"tombstone-" + hash(id).substring(0, 32) + "\",\"event_type\":\"_tombstone\","
        + "\"schema_version\":1,\"occurred_at\":\"" + at + "\",\"received_at\":\"" + at + "\",\"app_id\":\"" + APP
        + "\",\"properties\":{\"subject\":\"" + subject + "\",\"subject_hash\":\"" + hash(id) + "\"}}";
  }

  private static String withDevice(String record, String device) {
    return record.replace("\"session_id\"", "\"x\"").replace("\"properties\":", "\"device_id\":\"" + device
        + "\",\"properties\":");
  }

  /**
   * alice: two events in a sealed file, one (a duplicate copy) in a gzip file, and one received after her tombstone
   * (she opted in again). bob: everything stays. d-carol: erased as a device.
   */
  private TestLake lake() throws Exception {
    TestLake lake = new TestLake(directory.resolve("events"));
    lake.sealed(List.of(install("i-alice", "alice", "ios", DAY), install("i-bob", "bob", "android", DAY),
        purchase("p-alice", "alice", 990_000, "EUR", DAY), purchase("p-bob", "bob", 1_990_000, "USD", DAY),
        withDevice(install("i-carol", "carol", "ios", DAY), "d-carol")));
    lake.sealedGzip(List.of(purchase("p-alice", "alice", 990_000, "EUR", "2026-11-24T10:00:05.000Z"),
        tombstone("player", "alice", TOMBSTONE_AT), tombstone("device", "d-carol", TOMBSTONE_AT)));
    lake.inProgress(List.of(purchase("p-alice-2", "alice", 490_000, "EUR", "2026-11-24T12:00:00.000Z")), "");
    return lake;
  }

  @Test
  void theViewsHideTheErasedSubjectsAndTheTombstonesAndKeepEveryoneElse() throws Exception {
    try (LocalWarehouse warehouse = LocalWarehouse.open(lake().root(), null, null, SALT)) {
      assertThat(rows(warehouse, "SELECT event_id, player_id FROM game_events ORDER BY event_id"))
          .containsExactly("i-bob|bob", "p-alice-2|alice", "p-bob|bob");
      assertThat(rows(warehouse, "SELECT event_id FROM game_events_clean ORDER BY event_id"))
          .containsExactly("i-bob", "p-alice-2", "p-bob");
      assertThat(rows(warehouse, "SELECT count(*) FROM game_events WHERE event_type = '_tombstone'"))
          .containsExactly("0");
      // the raw view still has all of it, as Snowflake's raw table has until its task runs
      assertThat(rows(warehouse, "SELECT count(*) FROM game_events_lake")).containsExactly("9");
    }
  }

  @Test
  void withoutTheSaltALakeWithTombstonesIsRefusedRatherThanShowingAnErasedPlayer() throws Exception {
    Path root = lake().root();

    assertThatThrownBy(() -> LocalWarehouse.open(root, null, null, null)).isInstanceOf(UsageException.class)
        .hasMessageContaining("GAME_EVENTS_PRIVACY_TOMBSTONE_SALT");
    Query query = Query.run("--lake", root.toString(), "SELECT count(*) FROM game_events");
    assertThat(query.exitCode()).isEqualTo(QueryMain.BAD_INPUT);
    assertThat(query.err()).startsWith("error: the lake holds privacy tombstones");
  }

  @Test
  void aWrongSaltHidesNobodySoTheSaltMustBeTheServices() throws Exception {
    try (LocalWarehouse warehouse = LocalWarehouse.open(lake().root(), null, null, "another-salt-0123")) {
      assertThat(rows(warehouse, "SELECT count(*) FROM game_events WHERE player_id = 'alice'")).containsExactly("4");
    }
  }

  @Test
  void theSnowflakeTaskDeletesTheSameRowsOnDuckDb() throws Exception {
    try (LocalWarehouse warehouse = LocalWarehouse.open(lake().root(), null, null, SALT)) {
      List<String> localClean = rows(warehouse, "SELECT event_id, received_at FROM game_events_clean ORDER BY event_id");
      // Snowflake's raw table with 01_raw.sql's NOT NULLs on the columns a tombstone lacks
      warehouse.query("CREATE TABLE game_events_raw AS SELECT * EXCLUDE (event_date) FROM game_events_lake WHERE false",
          r -> { });
      for (String column : List.of("client_occurred_at", "player_id", "platform", "raw_payload")) {
        warehouse.query("ALTER TABLE game_events_raw ALTER COLUMN " + column + " SET NOT NULL", r -> { });
      }
      // DuckDB spells SHA2(x, 256) sha256(x); a stream is, for one run, the rows it has not handed out yet: all
      warehouse.query("CREATE MACRO sha2(text, bits) AS sha256(text)", r -> { });
      warehouse.query("CREATE VIEW game_events_raw_inserts AS SELECT * FROM game_events_raw", r -> { });
      List<String> statements = SnowflakeSql.statements("05_privacy.sql");
      for (String sql : statements) {
        if (sql.startsWith("ALTER TABLE") || sql.startsWith("CREATE TABLE")) {
          warehouse.query(sql, r -> { }); // unchanged Snowflake text
        }
      }
      // what Firehose loads: every line, tombstones included (refused without the ALTERs above)
      warehouse.query("INSERT INTO game_events_raw SELECT * EXCLUDE (event_date) FROM game_events_lake", r -> { });
      warehouse.query("INSERT INTO privacy_tombstone_salt (salt) VALUES ('" + SALT + "')", r -> { });
      warehouse.query(SnowflakeSqlParsesTest.taskBody(statements), r -> { }); // the task's DELETE, unchanged

      assertThat(rows(warehouse, "SELECT event_id FROM game_events_raw WHERE event_type <> '_tombstone'"
          + " ORDER BY event_id")).containsExactly("i-bob", "p-alice-2", "p-bob");
      assertThat(rows(warehouse, "SELECT count(*) FROM game_events_raw WHERE event_type = '_tombstone'"))
          .containsExactly("2");
      CreateTable clean = (CreateTable) CCJSqlParserUtil.parse(SnowflakeSql.statements("02_clean.sql").get(0));
      assertThat(rows(warehouse, "SELECT event_id, received_at FROM (" + clean.getSelect() + ") ORDER BY event_id"))
          .isEqualTo(localClean);
    }
  }

  @Test
  void rightOfAccessExportsOnePlayersEventsAsJsonLines() throws Exception {
    TestLake lake = new TestLake(directory.resolve("events"));
    lake.sealed(List.of(purchase("p-1", "dana", 990_000, "EUR", DAY), install("i-1", "erin", "ios", DAY),
        install("i-2", "dana", "ios", DAY), purchase("p-1", "dana", 990_000, "EUR", "2026-11-24T10:00:09.000Z")));

    Query query = Query.run("--lake", lake.root().toString(), "--player", APP, "dana");

    assertThat(query.exitCode()).isZero();
    String[] lines = query.out().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("{\"event_id\":\"i-2\",\"event_type\":\"install\",").contains("\"player_id\":\"dana\"")
        .contains("\"raw_payload\":{\"event_id\":\"i-2\",\"event_type\":\"install\"}").doesNotContain("event_date");
    assertThat(lines[1]).startsWith("{\"event_id\":\"p-1\",\"event_type\":\"purchase\",")
        .contains("\"received_at\":\"2026-11-24T10:00:00.000Z\"");
    assertThat(Query.run("--lake", lake.root().toString(), "--player", APP, "d'ana").out()).isEmpty();
  }

  private static List<String> rows(LocalWarehouse warehouse, String sql) throws Exception {
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
}
