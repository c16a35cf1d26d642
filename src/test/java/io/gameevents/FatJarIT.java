package io.gameevents;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.JarNode;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped artifact, as an operator runs it: {@code java -jar target/game-events.jar -conf ...}.
 * Runs in the integration-test phase, after the fat jar is built.
 */
class FatJarIT {

  private static final Path JAR = Path.of("target/game-events.jar");
  /** HTTP/1.1: over the JDK client's h2c upgrade about one /metrics scrape in ten stalls for the 120 s idle timeout. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** And no access line is lost: each answer has its line in the log when the process has exited. */
  @Test
  void sigtermDrainsInFlightRequestsAndLosesNoAcknowledgedEvent(@TempDir Path dir) throws Exception {
    int port = TestService.freePort();
    JsonObject config = TestService.config(dir, port);
    // the events sit in the batcher until SIGTERM: the drain, not the linger, must deliver them
    config.getJsonObject("delivery").put("linger_ms", 8000);
    config.getJsonObject("http").put("request_timeout_ms", 15000);
    Process process = start(dir, config);
    try {
      awaitReady(port, process);
      List<String> ids = new ArrayList<>();
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = TestService.newId();
        ids.add(id);
        HttpRequest request = HttpRequest.newBuilder(post(port, TestService.install(id)), (name, value) -> true)
            .header("X-Request-Id", "drain-" + id).build();
        responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      // every request has reached the delivery stage (a request still on its way at SIGTERM would honestly get 503)
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> scrape(port)
          .contains("game_events_delivery_in_flight_events 20.0"));
      process.destroy(); // SIGTERM
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        HttpResponse<String> answer = response.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      }
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(TestService.SinkFiles.records(dir.resolve("events")))
          .extracting(r -> r.getString("event_id")).containsExactlyInAnyOrderElementsOf(ids);
      try (var files = Files.walk(dir.resolve("events"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".inprogress"))).isEmpty();
      }
      // answered during the drain, logged by the access log's writer thread: all written before the exit, whole
      List<JsonObject> lines = Files.readAllLines(dir.resolve("service.log")).stream().map(JsonObject::new).toList();
      assertThat(lines).filteredOn(line -> "game-events.access".equals(line.getString("logger"))
              && line.getString("request_id", "").startsWith("drain-"))
          .extracting(line -> line.getString("request_id") + " " + line.getInteger("status"))
          .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "drain-" + id + " 200").toList());
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void metricsAreScrapedInPrometheusFormat(@TempDir Path dir) throws Exception {
    int port = TestService.freePort();
    Process process = start(dir, TestService.config(dir, port));
    try {
      awaitReady(port, process);
      assertThat(http.send(post(port, TestService.install(TestService.newId())), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      // the dedup gauges are refreshed once a second on the dedup verticle's own thread
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scrape(port)
          .contains("game_events_dedup_remembered_ids{instance=\"0\"} 1.0"));
      assertThat(scrape(port))
          .contains("game_events_events_total{outcome=\"accepted\"} 1.0")
          .contains("game_events_sink_writes_total{result=\"ok\",sink=\"file\"} 1.0")
          .contains("game_events_dedup_remembered_ids{instance=\"0\"} 1.0")
          .contains("vertx_http_server_requests_total");
    } finally {
      process.destroyForcibly();
    }
  }

  /** A second process on a running one's sink directory refuses to start and leaves its open file alone. */
  @Test
  void aSecondProcessOnTheSameSinkDirectoryRefusesAndTouchesNothing(@TempDir Path dir) throws Exception {
    int port = TestService.freePort();
    Process first = start(dir, TestService.config(dir, port));
    try {
      awaitReady(port, first);
      assertThat(http.send(post(port, TestService.install(TestService.newId())), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      List<Path> before = sinkFiles(dir);
      assertThat(before).anyMatch(p -> p.getFileName().toString().endsWith(".inprogress"));

      Path other = Files.createDirectories(dir.resolve("second"));
      JsonObject sameSink = TestService.config(dir, TestService.freePort());
      sameSink.getJsonObject("dedup").put("directory", other.resolve("dedup").toString());
      Process second = start(other, sameSink);
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isNotZero();
      assertThat(Files.readString(other.resolve("service.log")).trim())
          .isEqualTo("game-events: failed to start: config key 'delivery.file.directory' ("
              + dir.resolve("events").toAbsolutePath() + ") is in use by another running game-events node: "
              + "give each node its own directory");

      assertThat(sinkFiles(dir)).isEqualTo(before);
      assertThat(http.send(post(port, TestService.install(TestService.newId())), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      assertThat(TestService.SinkFiles.records(dir.resolve("events"))).hasSize(2);
    } finally {
      first.destroyForcibly();
    }
  }

  private static List<Path> sinkFiles(Path dir) throws IOException {
    try (var files = Files.walk(dir.resolve("events"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * {@code --help} and {@code --version} answer on stdout with exit 0, an unknown option with one line and the usage
   * on stderr and exit 2: exactly that, so no log line, and nothing started (the working directory stays empty).
   */
  @Test
  void helpVersionAndAnUnknownOptionAnswerWithoutStartingAnything(@TempDir Path dir) throws Exception {
    String version = System.getProperty("game-events.version");
    assertThat(version).as("failsafe passes the Maven project's version").isNotBlank();

    assertThat(run(dir, "--help")).isEqualTo(new Answer(0, CommandLine.usage(), ""));
    assertThat(run(dir, "--version")).isEqualTo(new Answer(0, "game-events " + version + "\n", ""));
    assertThat(run(dir, "-conf", "conf.json", "--bogus")).isEqualTo(new Answer(2, "",
        "game-events: unknown option '--bogus'\n" + CommandLine.usage()));
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  private record Answer(int exitCode, String stdout, String stderr) {
  }

  /** Runs the jar to its end (killed after 30 s: a jar that started the service instead fails here). */
  private static Answer run(Path workingDirectory, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
    try {
      CompletableFuture<String> stdout = readAll(process.getInputStream());
      CompletableFuture<String> stderr = readAll(process.getErrorStream());
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      return new Answer(process.exitValue(), stdout.get(30, TimeUnit.SECONDS), stderr.get(30, TimeUnit.SECONDS));
    } finally {
      process.destroyForcibly();
    }
  }

  private static CompletableFuture<String> readAll(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void unreadableConfigFileFailsStartWithOneLine(@TempDir Path dir) throws Exception {
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "-conf", dir.resolve("missing.json").toString())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(new String(process.getInputStream().readAllBytes()).trim())
        .isEqualTo("game-events: cannot read config file " + dir.resolve("missing.json").toAbsolutePath());
  }

  @Test
  void noCredentialsRefusesToStartWithAReason(@TempDir Path dir) throws Exception {
    JsonObject config = TestService.config(dir, TestService.freePort());
    config.remove("auth");
    Process process = start(dir, config);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(Files.readString(dir.resolve("service.log")).trim()).doesNotContain("\n")
        .startsWith("game-events: failed to start: no credentials configured");
  }

  /**
   * The jar's stdout is JSON, one object per line, with an access line per request that names its
   * X-Request-Id; GAME_EVENTS_LOG_FORMAT=text turns the same lines into text, fields as key=value.
   */
  @Test
  void logsAreJsonLinesByDefaultAndTextOneVariableAway(@TempDir Path dir) throws Exception {
    JarNode json = JarNode.single(dir.resolve("json"));
    JarNode text = JarNode.single(dir.resolve("text")).env("GAME_EVENTS_LOG_FORMAT", "text");
    try {
      for (JarNode node : List.of(json.start(), text.start())) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port
                + "/v1/events/install")).header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TestService.KEY).header("X-Request-Id", "jar-log-1")
            .POST(HttpRequest.BodyPublishers.ofString(TestService.install(TestService.newId()).encode())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(node.terminate(Duration.ofSeconds(30))).isTrue();
      }

      List<JsonObject> lines = Files.readAllLines(json.dir.resolve("service.log")).stream().map(JsonObject::new).toList();
      assertThat(lines).allSatisfy(line -> assertThat(line.fieldNames()).contains("@timestamp", "level", "logger", "message"));
      // the shape of a line without fields of its own, as the XML configuration before LogSetup wrote it
      assertThat(lines).filteredOn(line -> line.getString("message").startsWith("game-events listening on"))
          .singleElement().satisfies(line -> assertThat(line.fieldNames())
              .containsExactlyInAnyOrder("@timestamp", "level", "logger", "thread", "message"));
      assertThat(lines).filteredOn(line -> "jar-log-1".equals(line.getString("request_id"))).singleElement()
          .satisfies(line -> {
            assertThat(line.getString("logger")).isEqualTo("game-events.access");
            assertThat(line.getInteger("status")).isEqualTo(200);
            assertThat(line.getString("key_id")).isEqualTo("dev");
            assertThat(line.getInteger("events")).isEqualTo(1);
          });

      List<String> textLines = Files.readAllLines(text.dir.resolve("service.log"));
      assertThat(textLines).noneMatch(line -> line.startsWith("{"));
      assertThat(textLines).anyMatch(line -> line.contains("game-events.access - POST /v1/events/{type} 200 "
          + "request_id=jar-log-1 client=127.0.0.1 key_id=dev app_id=com.game.test events=1 duration_ms="));
    } finally {
      json.destroy();
      text.destroy();
    }
  }

  /**
   * The logging configuration is built in (LogSetup), and an operator's Logback file replaces it whole:
   * every line in its layout, no Logback status chatter.
   */
  @Test
  void aLogbackConfigurationFileReplacesTheBuiltInLogging(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("operator-logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>operator %level %logger - %msg%n</pattern></encoder>
          </appender>
          <logger name="game-events.access" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    JarNode node = JarNode.single(dir.resolve("node")).jvmOption("-Dlogback.configurationFile=" + file);
    try {
      node.start();
      assertThat(node.terminate(Duration.ofSeconds(30))).isTrue();

      List<String> lines = Files.readAllLines(node.dir.resolve("service.log"));
      assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("operator "));
      assertThat(lines).anyMatch(line -> line.startsWith("operator INFO io.gameevents.MainVerticle - game-events listening on"));
      // the file's level for the access log, not the built-in INFO: /ready was asked, and not logged
      assertThat(lines).noneMatch(line -> line.contains("game-events.access"));
    } finally {
      node.destroy();
    }
  }

  /** A bad log section fails start-up like any bad key: one line, before any log line. */
  @Test
  void anUnknownLogFormatFailsStartWithOneLine(@TempDir Path dir) throws Exception {
    JarNode node = JarNode.single(dir).env("GAME_EVENTS_LOG_FORMAT", "xml");
    assertThat(node.startAndExit(Duration.ofSeconds(30))).isNotZero();
    assertThat(node.log().trim())
        .isEqualTo("game-events: failed to start: config key 'log.format' must be one of [json, text] (was 'xml')");
  }

  private String scrape(int port) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private Process start(Path dir, JsonObject config) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config.encodePrettily());
    return new ProcessBuilder("java", "-jar", JAR.toAbsolutePath().toString(), "-conf", file.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("service.log").toFile())
        .start();
  }

  private void awaitReady(int port, Process process) {
    org.awaitility.Awaitility.await("the service to become ready").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> {
          assertThat(process.isAlive()).as("the service is running").isTrue();
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        });
  }

  private static HttpRequest post(int port, JsonObject event) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/install"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TestService.KEY)
        .POST(HttpRequest.BodyPublishers.ofString(event.encode()))
        .timeout(Duration.ofSeconds(20))
        .build();
  }
}
