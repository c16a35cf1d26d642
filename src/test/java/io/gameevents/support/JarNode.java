package io.gameevents.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The fat jar as a process on loopback: started with a config file, killed with SIGKILL or stopped with SIGTERM. */
public final class JarNode {

  private static final Path JAR = Path.of("target/game-events.jar").toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public final Path dir;
  public final int port;
  private final JsonObject config;
  private final boolean clustered;
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();
  private final List<String> jvmOptions = new java.util.ArrayList<>();
  /** False: the config goes to {@code dir/conf/config.json} and the jar is started without {@code -conf}. */
  private boolean confArgument = true;
  private Process process;

  private JarNode(Path dir, int port, JsonObject config, boolean clustered) {
    this.dir = dir;
    this.port = port;
    this.config = config;
    this.clustered = clustered;
  }

  /** A node with the test config (dev key, file sink and dedup journal under {@code dir}). */
  public static JarNode single(Path dir) {
    int port = TestService.freePort();
    return new JarNode(dir, port, TestService.config(dir, port), false);
  }

  /** A cluster member on loopback with TCP/IP seeds {@code memberPorts} and the given roles. */
  public static JarNode member(Path dir, String cluster, int hazelcastPort, List<Integer> memberPorts, String... roles) {
    int port = TestService.freePort();
    JsonArray members = new JsonArray();
    memberPorts.forEach(p -> members.add("127.0.0.1:" + p));
    JsonObject config = TestService.config(dir, port).put("cluster", new JsonObject().put("name", cluster)
        .put("host", "127.0.0.1").put("port", hazelcastPort).put("members", members)
        .put("roles", new JsonArray(List.of((Object[]) roles))).put("secret", TestService.CLUSTER_SECRET));
    config.getJsonObject("dedup").put("hash_key", TestService.CLUSTER_HASH_KEY);
    return new JarNode(dir, port, config, true);
  }

  public JsonObject config() {
    return config;
  }

  /** Static AWS credentials and no instance-metadata lookup: a jar talking to the Firehose double. */
  public JarNode withTestAwsCredentials() {
    return env("AWS_ACCESS_KEY_ID", "test").env("AWS_SECRET_ACCESS_KEY", "test").env("AWS_EC2_METADATA_DISABLED", "true");
  }

  /** An environment variable for the process. */
  public JarNode env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** A JVM option before {@code -jar}, e.g. {@code -Dlogback.configurationFile=...}. */
  public JarNode jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** No {@code -conf}: the config is written to {@code conf/config.json} in the node's working directory. */
  public JarNode withoutConfArgument() {
    confArgument = false;
    return this;
  }

  /** Starts the process (again, after a kill: same directory, same config) and waits for /ready. */
  public JarNode start() throws IOException {
    launch();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("the node exited: " + log());
      }
      return ready() == 200;
    });
    return this;
  }

  /** Starts a node expected to refuse its config; returns its exit code. */
  public int startAndExit(Duration within) throws IOException, InterruptedException {
    launch();
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the node did not exit: " + log());
    }
    return process.exitValue();
  }

  private void launch() throws IOException {
    Path file = confArgument ? dir.resolve("config.json") : dir.resolve("conf").resolve("config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, config.encodePrettily());
    List<String> command = new java.util.ArrayList<>(List.of("java"));
    if (clustered) {
      command.add("-Dhazelcast.wait.seconds.before.join=0");
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    if (confArgument) {
      command.addAll(List.of("-conf", file.toString()));
    }
    if (clustered) {
      command.add("-cluster");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    process = builder.directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile())).start();
  }

  /** Writes {@link #config()} to the node's config file again (the running node may reload it). */
  public void writeConfig() throws IOException {
    Path file = dir.resolve("config.json");
    Path next = dir.resolve("config.json.next");
    Files.writeString(next, config.encodePrettily());
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** SIGHUP: the node reloads its credentials from its config file. */
  public void hup() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** kill -9: no drain, no flush, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGSTOP: the process hangs with its connections open, so only missed heartbeats reveal it. */
  public void hang() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** SIGTERM: the node drains and leaves. */
  public boolean terminate(Duration within) throws InterruptedException {
    process.destroy();
    return process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public int ready() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("service.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Every record in this node's file sink (sealed and in-progress files). */
  public List<JsonObject> sinkRecords() {
    return TestService.SinkFiles.records(dir.resolve("events"));
  }

  public HttpRequest post(JsonObject event, Duration timeout) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/install"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TestService.KEY)
        .POST(HttpRequest.BodyPublishers.ofString(event.encode()))
        .timeout(timeout)
        .build();
  }

  public void destroy() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
