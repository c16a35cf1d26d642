package io.gameevents.sdk.e2e;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real ingestion service, started from its fat jar with a file sink in a temporary directory.
 * Tests using it are skipped (with a message) when the jar has not been built.
 */
final class RealServer {

  static final String API_KEY = "dev-secret";
  /** A key with a rate limit of 1 event per second, bursts of up to 5. */
  static final String LIMITED_KEY = "limited-secret";
  static final String APP_ID = "com.game.test";

  private final Process process;
  private final int port;
  private final Path eventsDirectory;
  private final Path log;

  private RealServer(Process process, int port, Path eventsDirectory, Path log) {
    this.process = process;
    this.port = port;
    this.eventsDirectory = eventsDirectory;
    this.log = log;
  }

  /** The jar named by the system property {@code gameevents.server.jar} (set by sdk/pom.xml). */
  static Path jar() {
    return Path.of(System.getProperty("gameevents.server.jar", "../target/game-events.jar"));
  }

  /** Skips the calling test, saying why, when the server jar was not built. */
  static void skipUnless(boolean serverStarted) {
    if (!serverStarted && Boolean.getBoolean("gameevents.e2e.required")) {
      // the root build sets this: there, a missing jar is a broken build, not a reason to skip
      throw new AssertionError("no server jar at " + jar().toAbsolutePath().normalize());
    }
    Assumptions.assumeTrue(serverStarted, "SKIPPED end-to-end test: no server jar at "
        + jar().toAbsolutePath().normalize() + " (build it first: mvn -B -q package -DskipTests at the repository root)");
  }

  static RealServer start(Path jar, Path workDirectory) throws Exception {
    int port = freePort();
    Path events = workDirectory.resolve("events");
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("instances", 1))
        .put("auth", new JsonObject().put("api_keys", new JsonArray()
            .add(new JsonObject().put("id", "dev").put("key", API_KEY).put("app_ids", new JsonArray().add(APP_ID)))
            .add(new JsonObject().put("id", "limited").put("key", LIMITED_KEY)
                .put("app_ids", new JsonArray().add(APP_ID))
                .put("rate_limit", new JsonObject().put("events_per_second", 1).put("burst", 5)))))
        .put("delivery", new JsonObject().put("sink", "file").put("linger_ms", 5)
            .put("file", new JsonObject().put("directory", events.toString()).put("stream", "game-events")
                .put("rotate_seconds", 1)));
    Path configFile = workDirectory.resolve("server.json");
    Files.writeString(configFile, config.encodePrettily());
    Path log = workDirectory.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(),
        "-conf", configFile.toString())
        .directory(workDirectory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    RealServer server = new RealServer(process, port, events, log);
    server.awaitReady(Duration.ofSeconds(60));
    return server;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Every record in the sink whose event_id is one of {@code eventIds}, in-progress files included. */
  List<JsonObject> records(Collection<String> eventIds) throws IOException {
    Set<String> wanted = Set.copyOf(eventIds);
    List<JsonObject> found = new ArrayList<>();
    if (!Files.isDirectory(eventsDirectory)) {
      return found;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(eventsDirectory)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      List<String> lines;
      try {
        lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
      } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
        return records(eventIds); // an in-progress file was published: read the tree again
      }
      for (String line : lines) {
        JsonObject record = parse(line);
        if (record != null && wanted.contains(record.getString("event_id"))) {
          found.add(record);
        }
      }
    }
    return found;
  }

  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + logTail());
        }
        return ready();
      });
    } catch (ConditionTimeoutException notReady) {
      stop();
      throw new IllegalStateException("the server was not ready within " + timeout + ":\n" + logTail());
    }
  }

  private boolean ready() {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl() + "/ready").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      return connection.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false; // still starting
    }
  }

  private String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static JsonObject parse(String line) {
    try {
      return line.isBlank() ? null : new JsonObject(line);
    } catch (DecodeException | ClassCastException partial) {
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
