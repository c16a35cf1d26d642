package io.gameevents.query;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end on the real service jar: events sent over HTTP are answered 200 once fsynced, so they are in
 * the query results at once, from the in-progress file, before any rotation; a custom level_up type's own
 * field is a typed column; the events it refuses for their content are in the game_events_refused view and
 * {@code --report refusals}, as the service wrote them. Skipped (with a message) when the service jar has not
 * been built.
 */
class ServiceToSqlTest {

  private static final String KEY = "dev-secret";
  private static final String APP = "com.game.test";
  private static final String LEVEL_UP_V1 = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
      + "\"type\": \"object\","
      + "\"required\": [\"event_id\", \"event_type\", \"occurred_at\", \"player_id\", \"app_id\", \"platform\", \"level\"],"
      + "\"properties\": {\"event_id\": {\"$ref\": \"common.v1.json#/$defs/event_id\"},"
      + "\"event_type\": {\"const\": \"level_up\"},"
      + "\"schema_version\": {\"$ref\": \"common.v1.json#/$defs/schema_version\"},"
      + "\"occurred_at\": {\"$ref\": \"common.v1.json#/$defs/timestamp\"},"
      + "\"player_id\": {\"$ref\": \"common.v1.json#/$defs/player_id\"},"
      + "\"app_id\": {\"$ref\": \"common.v1.json#/$defs/app_id\"},"
      + "\"platform\": {\"$ref\": \"common.v1.json#/$defs/platform\"},"
      + "\"level\": {\"type\": \"integer\", \"minimum\": 2},"
      + "\"boss\": {\"type\": \"string\"}},"
      + "\"additionalProperties\": false}";

  @TempDir
  Path work;

  private Process service;
  private int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void startTheServiceJar() throws Exception {
    Path jar = Path.of(System.getProperty("gameevents.server.jar", "../target/game-events.jar"));
    if (!Files.isRegularFile(jar)) {
      if (Boolean.getBoolean("gameevents.e2e.required")) {
        throw new AssertionError("no service jar at " + jar.toAbsolutePath().normalize());
      }
      Assumptions.abort("SKIPPED end-to-end test: no service jar at " + jar.toAbsolutePath().normalize()
          + " (build it first: mvn -B -q package -DskipTests at the repository root)");
    }
    Files.createDirectories(work.resolve("schemas"));
    Files.writeString(work.resolve("schemas/level_up.v1.json"), LEVEL_UP_V1);
    port = freePort();
    // rotation an hour away: every query below reads the in-progress file
    Files.writeString(work.resolve("service.json"), "{"
        + "\"http\": {\"host\": \"127.0.0.1\", \"port\": " + port + ", \"instances\": 1},"
        + "\"auth\": {\"api_keys\": [{\"id\": \"dev\", \"key\": \"" + KEY + "\", \"app_ids\": [\"" + APP + "\"]}]},"
        + "\"validation\": {\"event_types\": [\"install\", \"purchase\", \"level_up\"], \"schema_directory\": \"schemas\"},"
        + "\"dedup\": {\"directory\": \"dedup\"},"
        + "\"delivery\": {\"sink\": \"file\", \"file\": {\"directory\": \"events\", \"rotate_seconds\": 3600}}}");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    service = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "-conf", "service.json")
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("service.log").toFile())
        .start();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(ConnectException.class)
        .until(() -> {
          if (!service.isAlive()) {
            throw new AssertionError("the service exited: " + Files.readString(work.resolve("service.log")));
          }
          return get("/ready") == 200;
        });
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (service != null) {
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theSeedsEventsAreQueryableWithTheirTypesBeforeAnyRotation() throws Exception {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    // the SDK example's two events (io.gameevents.sdk.example.SendEvents)
    assertThat(post("install", "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"install\","
        + "\"occurred_at\":\"" + now + "\",\"player_id\":\"player_1\",\"app_id\":\"" + APP + "\",\"platform\":\"ios\"}"))
        .isEqualTo(200);
    assertThat(post("purchase", "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"purchase\","
        + "\"occurred_at\":\"" + now + "\",\"player_id\":\"player_1\",\"app_id\":\"" + APP + "\",\"platform\":\"ios\","
        + "\"product_id\":\"gems_pack_01\",\"quantity\":1,\"amount_micros\":4990000,\"currency\":\"EUR\"}"))
        .isEqualTo(200);

    assertThat(recordFileNames()).isNotEmpty().allMatch(name -> name.startsWith(".") && name.endsWith(".inprogress"));
    assertThat(Query.csv(work.resolve("events"), "SELECT event_type, player_id, platform, product_id, quantity,"
        + " amount_micros, currency, occurred_at = TIMESTAMPTZ '" + now + "' AS same_instant,"
        + " event_date = CAST(TIMESTAMPTZ '" + now + "' AT TIME ZONE 'UTC' AS DATE) AS utc_day,"
        + " typeof(occurred_at) AS t, typeof(amount_micros) AS m, raw_payload->>'currency' AS raw"
        + " FROM game_events_clean ORDER BY event_type")).containsExactly(
        "event_type,player_id,platform,product_id,quantity,amount_micros,currency,same_instant,utc_day,t,m,raw",
        "install,player_1,ios,,,,,true,true,TIMESTAMP WITH TIME ZONE,BIGINT,",
        "purchase,player_1,ios,gems_pack_01,1,4990000,EUR,true,true,TIMESTAMP WITH TIME ZONE,BIGINT,EUR");
    assertThat(Query.csv(List.of("--lake", work.resolve("events").toString(), "--report", "revenue"), null))
        .containsExactly("event_date,app_id,currency,purchases,revenue",
            now.substring(0, 10) + "," + APP + ",EUR,1,4.990000");
  }

  @Test
  void aCustomTypesOwnFieldsAreTypedColumns() throws Exception {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    assertThat(post("level_up", "{\"event_id\":\"lv-1\",\"event_type\":\"level_up\",\"occurred_at\":\"" + now + "\","
        + "\"player_id\":\"player_1\",\"app_id\":\"" + APP + "\",\"platform\":\"switch\",\"level\":7,\"boss\":\"troll\"}"))
        .isEqualTo(200);
    assertThat(post("level_up", "{\"event_id\":\"lv-2\",\"event_type\":\"level_up\",\"occurred_at\":\"" + now + "\","
        + "\"player_id\":\"player_2\",\"app_id\":\"" + APP + "\",\"platform\":\"switch\",\"level\":2}"))
        .isEqualTo(200);

    List<String> options = List.of("--lake", work.resolve("events").toString(), "--schemas",
        work.resolve("schemas").toString());
    assertThat(Query.csv(options, "SELECT event_id, level, level * 10 AS score, boss, typeof(level) AS t"
        + " FROM game_events WHERE event_type = 'level_up' ORDER BY event_id")).containsExactly(
        "event_id,level,score,boss,t", "lv-1,7,70,troll,BIGINT", "lv-2,2,20,,BIGINT");
  }

  @Test
  void theRefusedViewAndReportReadTheRefusedTreeAsTheServiceWritesIt() throws Exception {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // two purchases of build 2.4.1 with a lower-case currency, one of 2.4.0 with quantity 0, one unknown type
    for (String[] refused : new String[][] {{"p-1", "\"currency\":\"eur\",\"quantity\":1", "2.4.1"},
        {"p-2", "\"currency\":\"usd\",\"quantity\":1", "2.4.1"},
        {"p-3", "\"currency\":\"EUR\",\"quantity\":0", "2.4.0"}}) {
      assertThat(refuse("/v1/events/purchase", "{\"event_id\":\"" + refused[0] + "\",\"event_type\":\"purchase\","
          + "\"occurred_at\":\"" + now + "\",\"player_id\":\"player_1\",\"app_id\":\"" + APP + "\","
          + "\"platform\":\"ios\",\"product_id\":\"gems_pack_01\",\"amount_micros\":4990000," + refused[1] + ","
          + "\"context\":{\"app_version\":\"" + refused[2] + "\",\"sdk\":{\"name\":\"game-events-unity\","
          + "\"version\":\"1.3.0\"}}}")).isEqualTo(400);
    }
    assertThat(refuse("/v1/events", "{\"event_id\":\"x-1\",\"event_type\":\"level_down\",\"occurred_at\":\""
        + now + "\",\"player_id\":\"player_1\",\"app_id\":\"" + APP + "\",\"platform\":\"ios\","
        + "\"context\":{\"app_version\":\"2.4.1\"}}")).isEqualTo(404);

    assertThat(recordFileNames(work.resolve("refused"))).singleElement()
        .matches(name -> name.startsWith(".refused-") && name.endsWith(".ndjson.inprogress"));
    List<String> options = List.of("--lake", work.resolve("events").toString(), "--refused",
        work.resolve("refused").toString());
    assertThat(Query.csv(options, "SELECT event_id, event_type, app_id, key_id, app_version, sdk_name, sdk_version,"
        + " problem_type, schema_version, reason_count, reason_pointer, payload->>'currency' AS currency,"
        + " payload_truncated, refused_at >= TIMESTAMPTZ '" + before + "' AS after_sent,"
        + " refused_date = CAST(refused_at AT TIME ZONE 'UTC' AS DATE) AS utc_day, typeof(refused_at) AS t,"
        + " typeof(schema_version) AS v, typeof(payload_truncated) AS b, typeof(reasons) AS r"
        + " FROM game_events_refused ORDER BY event_id")).containsExactly(
        "event_id,event_type,app_id,key_id,app_version,sdk_name,sdk_version,problem_type,schema_version,reason_count,"
            + "reason_pointer,currency,payload_truncated,after_sent,utc_day,t,v,b,r",
        "p-1,purchase," + APP + ",dev,2.4.1,game-events-unity,1.3.0,invalid-event,1,1,/currency,eur,false,true,true,"
            + "TIMESTAMP WITH TIME ZONE,INTEGER,BOOLEAN,JSON",
        "p-2,purchase," + APP + ",dev,2.4.1,game-events-unity,1.3.0,invalid-event,1,1,/currency,usd,false,true,true,"
            + "TIMESTAMP WITH TIME ZONE,INTEGER,BOOLEAN,JSON",
        "p-3,purchase," + APP + ",dev,2.4.0,game-events-unity,1.3.0,invalid-event,1,1,/quantity,EUR,false,true,true,"
            + "TIMESTAMP WITH TIME ZONE,INTEGER,BOOLEAN,JSON",
        "x-1,level_down," + APP + ",dev,2.4.1,,,unknown-event-type,,1,/event_type,,false,true,true,"
            + "TIMESTAMP WITH TIME ZONE,INTEGER,BOOLEAN,JSON");
    // the report's first columns (its first and last times are the service's own)
    assertThat(Query.csv(concat(options, "--report", "refusals"), null))
        .map(row -> String.join(",", List.of(row.split(",")).subList(0, 5))).containsExactly(
            "event_type,problem_type,reason_pointer,app_version,refused",
            "purchase,invalid-event,/currency,2.4.1,2",
            "level_down,unknown-event-type,/event_type,2.4.1,1",
            "purchase,invalid-event,/quantity,2.4.0,1");
  }

  private static List<String> concat(List<String> options, String... more) {
    List<String> all = new java.util.ArrayList<>(options);
    all.addAll(List.of(more));
    return all;
  }

  /** Sends an event the service refuses for its content and keeps: returns the status. */
  private int refuse(String path, String event) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).as("answer to " + event).contains("\"kept\":true");
    return response.statusCode();
  }

  private int post(String type, String event) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/" + type))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).as("answer to " + event).contains("\"accepted\"");
    return response.statusCode();
  }

  private int get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private List<String> recordFileNames() throws IOException {
    return recordFileNames(work.resolve("events"));
  }

  private static List<String> recordFileNames(Path tree) throws IOException {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
          .filter(name -> name.contains(".ndjson")).toList();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
