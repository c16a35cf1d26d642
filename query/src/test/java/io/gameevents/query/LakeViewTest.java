package io.gameevents.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gameevents.query.TestLake.install;
import static io.gameevents.query.TestLake.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** The game_events and game_events_clean views over files laid out as the file sink writes them. */
class LakeViewTest {

  private static final String AT = "2026-11-24T10:00:00.123Z";

  @TempDir
  Path directory;

  private TestLake lake() {
    return new TestLake(directory.resolve("events"));
  }

  @Test
  void columnsHaveTheWarehouseTypes() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(purchase("p-1", "player_1", 4_990_000, "EUR", AT)));

    assertThat(Query.csv(lake.root(), "SELECT column_name, data_type FROM information_schema.columns"
        + " WHERE table_name = 'game_events' ORDER BY ordinal_position")).containsExactly(
        "column_name,data_type", "event_id,VARCHAR", "event_type,VARCHAR", "schema_version,INTEGER",
        "occurred_at,TIMESTAMP WITH TIME ZONE", "client_occurred_at,VARCHAR", "received_at,TIMESTAMP WITH TIME ZONE",
        "player_id,VARCHAR", "app_id,VARCHAR", "platform,VARCHAR", "product_id,VARCHAR", "quantity,BIGINT",
        "amount_micros,BIGINT", "currency,VARCHAR", "app_version,VARCHAR", "os,VARCHAR", "os_version,VARCHAR",
        "device_model,VARCHAR", "device_id,VARCHAR", "locale,VARCHAR", "country,VARCHAR", "session_id,VARCHAR",
        "properties,JSON", "raw_payload,JSON", "replayed_at,TIMESTAMP WITH TIME ZONE", "event_date,DATE");
    assertThat(Query.csv(lake.root(), "SELECT occurred_at, received_at, quantity + 1 AS next, amount_micros,"
        + " properties->>'campaign' AS campaign, raw_payload->>'event_type' AS type, event_date, os FROM game_events"))
        .containsExactly("occurred_at,received_at,next,amount_micros,campaign,type,event_date,os",
            "2026-11-24T09:58:00.000Z,2026-11-24T10:00:00.123Z,2,4990000,winter,purchase,2026-11-24,");
  }

  @Test
  void plainGzipSealedAndInProgressFilesAreAllRead() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(install("i-1", "a", "ios", AT)));
    lake.sealedGzip(List.of(install("i-2", "b", "ios", AT)));
    lake.inProgress(List.of(install("i-3", "c", "ios", AT)), "");
    lake.inProgressGzip(List.of(install("i-4", "d", "ios", AT)), List.of());

    assertThat(Query.csv(lake.root(), "SELECT event_id FROM game_events ORDER BY event_id"))
        .containsExactly("event_id", "i-1", "i-2", "i-3", "i-4");
  }

  @Test
  void aTornLastLineOfAnInProgressFileIsSkipped() throws IOException {
    TestLake lake = lake();
    String next = install("i-2", "b", "ios", AT);
    lake.inProgress(List.of(install("i-1", "a", "ios", AT)), next.substring(0, next.length() / 2));

    assertThat(Query.csv(lake.root(), "SELECT event_id, count(*) OVER () AS n FROM game_events"))
        .containsExactly("event_id,n", "i-1,1");
  }

  @Test
  void aTornLastGzipMemberOfAnInProgressFileIsSkipped() throws IOException {
    TestLake lake = lake();
    lake.inProgressGzip(List.of(install("i-1", "a", "ios", AT), install("i-2", "b", "ios", AT)),
        List.of(install("i-3", "c", "ios", AT)));

    assertThat(Query.csv(lake.root(), "SELECT event_id FROM game_events ORDER BY event_id"))
        .containsExactly("event_id", "i-1", "i-2");
  }

  @Test
  void aFileSealedBetweenListingAndQueryingIsReadUnderItsNewName() throws Exception {
    TestLake lake = lake();
    Path inProgress = lake.inProgress(List.of(install("i-1", "a", "ios", AT)), "");
    try (LocalWarehouse warehouse = LocalWarehouse.open(lake.root(), null)) {
      String sealedName = inProgress.getFileName().toString().substring(1).replace(".inprogress", "");
      Files.move(inProgress, inProgress.resolveSibling(sealedName)); // the sink rotates, as it does every few minutes

      List<String> ids = new java.util.ArrayList<>();
      warehouse.query("SELECT event_id FROM game_events", rows -> {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      });
      assertThat(ids).containsExactly("i-1");
    }
  }

  @Test
  void filesThatAreNotRecordFilesAreLeftOut() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(install("i-1", "a", "ios", AT)));
    lake.other(".lock", "");
    lake.other(TestLake.HOUR + "/.probe-3c2e", "\n");
    lake.other("checkpoint.json", "{\"event_id\":\"not-a-record\"}\n");
    lake.other(TestLake.HOUR + "/notes.txt", "{\"event_id\":\"not-a-record\"}\n");

    assertThat(Query.csv(lake.root(), "SELECT event_id FROM game_events")).containsExactly("event_id", "i-1");
  }

  @Test
  void anEmptyOrMissingLakeHasTheViewsWithNoRows() {
    assertThat(Query.csv(directory.resolve("nothing-sent-yet"), "SELECT count(*) AS n, sum(amount_micros) AS s"
        + " FROM game_events_clean")).containsExactly("n,s", "0,");
  }

  @Test
  void theCleanViewKeepsTheFirstReceivedCopyOfADuplicate() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(purchase("p-1", "a", 4_990_000, "EUR", "2026-11-24T10:00:05.000Z"),
        purchase("p-2", "a", 990_000, "EUR", AT)));
    // a copy written straight into the lake, as a retried delivery would: the same event received earlier
    lake.inProgress(List.of(purchase("p-1", "a", 4_990_000, "EUR", "2026-11-24T10:00:01.000Z")), "");

    assertThat(Query.csv(lake.root(), "SELECT count(*) AS n FROM game_events")).containsExactly("n", "3");
    assertThat(Query.csv(lake.root(), "SELECT event_id, received_at FROM game_events_clean ORDER BY event_id"))
        .containsExactly("event_id,received_at", "p-1,2026-11-24T10:00:01.000Z", "p-2,2026-11-24T10:00:00.123Z");
    assertThat(Query.csv(List.of("--lake", lake.root().toString(), "--report", "duplicates"), null))
        .containsExactly("app_id,stored,kept,duplicates_removed", "com.game.test,3,2,1");
  }

  @Test
  void revenueSumsMicrosExactly() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(purchase("p-1", "a", 4_990_000, "EUR", AT), purchase("p-2", "b", 4_990_000, "EUR", AT),
        purchase("p-3", "a", 4_990_000, "EUR", AT), purchase("p-4", "c", 1, "USD", AT)));

    assertThat(Query.csv(List.of("--lake", lake.root().toString(), "--report", "revenue"), null)).containsExactly(
        "event_date,app_id,currency,purchases,revenue",
        "2026-11-24,com.game.test,EUR,3,14.970000",
        "2026-11-24,com.game.test,USD,1,0.000001");
    assertThat(Query.csv(List.of("--lake", lake.root().toString(), "--report", "payers"), null))
        .containsExactly("event_date,app_id,paying_players", "2026-11-24,com.game.test,3");
  }

  @Test
  void installsPerDayByPlatform() throws IOException {
    TestLake lake = lake();
    lake.sealed(List.of(install("i-1", "a", "ios", AT), install("i-2", "b", "ios", AT),
        install("i-3", "c", "android", AT), install("i-3", "c", "android", AT)));

    assertThat(Query.csv(List.of("--lake", lake.root().toString(), "--report", "installs"), null)).containsExactly(
        "event_date,app_id,platform,installs", "2026-11-24,com.game.test,android,1", "2026-11-24,com.game.test,ios,2");
  }

  @Test
  void purchaseVersionTwoColumnsAreNullForVersionOneRows() throws IOException {
    TestLake lake = lake();
    String v1 = purchase("p-1", "a", 4_990_000, "EUR", AT);
    String v2 = purchase("p-2", "b", 4_990_000, "EUR", AT).replace("\"schema_version\":1", "\"schema_version\":2")
        .replaceFirst("}$", ",\"store\":\"google_play\",\"tax_micros\":796723}");
    lake.sealed(List.of(v1, v2));
    List<String> options = List.of("--lake", lake.root().toString(), "--schemas", SnowflakeSql.examples().toString());

    assertThat(Query.csv(options, "SELECT event_id, schema_version, store, tax_micros * 0.000001 AS tax,"
        + " typeof(tax_micros) AS t FROM game_events ORDER BY event_id")).containsExactly(
        "event_id,schema_version,store,tax,t", "p-1,1,,,BIGINT", "p-2,2,google_play,0.796723,BIGINT");
    assertThat(Query.csv(List.of("--lake", lake.root().toString(), "--report", "revenue"), null))
        .containsExactly("event_date,app_id,currency,purchases,revenue", "2026-11-24,com.game.test,EUR,2,9.980000");
  }

  @Test
  void aCustomTypesDeclaredFieldsAreTypedColumnsWithSchemas() throws IOException {
    Path schemas = Files.createDirectories(directory.resolve("schemas"));
    Files.writeString(schemas.resolve("level_up.v1.json"), "{\"type\":\"object\",\"properties\":{"
        + "\"event_id\":{\"$ref\":\"common.v1.json#/$defs/event_id\"},\"level\":{\"type\":\"integer\"},"
        + "\"boss\":{\"enum\":[\"dragon\",\"troll\"]},\"speedrun\":{\"type\":\"boolean\"},\"loot\":{\"type\":\"array\"}}}");
    Files.writeString(schemas.resolve("level_up.v2.json"), "{\"type\":\"object\",\"properties\":{"
        + "\"level\":{\"type\":\"integer\"},\"seconds\":{\"type\":\"number\"}}}");
    Files.writeString(schemas.resolve("README.md"), "not a schema");
    TestLake lake = lake();
    String install = install("i-1", "a", "ios", AT);
    String levelUp = install.replace("\"install\"", "\"level_up\"").replace("\"i-1\"", "\"l-1\"");
    lake.sealed(List.of(install,
        levelUp.substring(0, levelUp.length() - 1) + ",\"level\":7,\"boss\":\"troll\",\"speedrun\":true,"
            + "\"loot\":[\"gem\"]}",
        levelUp.replace("\"l-1\"", "\"l-2\"").replace("\"schema_version\":1", "\"schema_version\":2")
            .replaceFirst("}$", ",\"level\":\"eight\",\"seconds\":61.5}")));
    List<String> options = List.of("--lake", lake.root().toString(), "--schemas", schemas.toString());

    assertThat(Query.csv(options, "SELECT event_id, level, boss, speedrun, loot, seconds,"
        + " typeof(level) AS t, typeof(seconds) AS ts FROM game_events ORDER BY event_id")).containsExactly(
        "event_id,level,boss,speedrun,loot,seconds,t,ts",
        "i-1,,,,,,BIGINT,DOUBLE",
        "l-1,7,troll,true,\"[\"\"gem\"\"]\",,BIGINT,DOUBLE",
        // a value its schema would have refused is NULL in the column, never a lost row; raw_payload has it
        "l-2,,,,,61.5,BIGINT,DOUBLE");
    assertThat(Query.csv(lake.root(), "SELECT count(*) AS n FROM game_events")).containsExactly("n", "3");
  }
}
