package io.gameevents;

import io.gameevents.support.JarNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fat jar says when it starts, as a newcomer reads it: which config, and why it cannot listen. */
class StartupMessagesIT {

  private static final Path JAR = Path.of("target/game-events.jar").toAbsolutePath();

  @Test
  void anOccupiedPortIsNamedWithTheKeyAndVariableThatChangeItAndNothingIsDrained(@TempDir Path dir)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      JarNode node = JarNode.single(dir);
      node.config().getJsonObject("http").put("host", "127.0.0.1").put("port", taken.getLocalPort());

      assertThat(node.startAndExit(Duration.ofSeconds(60))).isNotZero();

      assertThat(node.log()).contains("game-events: failed to start: cannot listen on 127.0.0.1:"
              + taken.getLocalPort() + ": ")
          .contains("Address already in use")
          .contains("choose another port with the config key http.port or the environment variable "
              + "GAME_EVENTS_HTTP_PORT")
          .doesNotContain("draining").doesNotContain("drained");
    }
  }

  @Test
  void withoutConfTheJarUsesConfConfigJsonAndSaysSoInItsFirstLine(@TempDir Path dir) throws Exception {
    JarNode node = JarNode.single(dir).withoutConfArgument();
    try {
      node.start();
      String first = Files.readAllLines(dir.resolve("service.log")).get(0);

      assertThat(new JsonObject(first).getString("message")).isEqualTo("config: "
          + dir.resolve("conf/config.json") + " (no -conf given, so conf/config.json in the working directory)");
      assertThat(node.terminate(Duration.ofSeconds(30))).isTrue();
    } finally {
      node.destroy();
    }
  }

  @Test
  void withoutConfAndWithoutConfConfigJsonTheJarSaysItUsesTheBuiltInDefaults(@TempDir Path dir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toString()).directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("GAME_EVENTS_"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();

    // the defaults hold no API key, so the start fails: with the reason, after saying which config it read
    assertThat(process.exitValue()).isNotZero();
    assertThat(new JsonObject(lines.get(0)).getString("message")).isEqualTo("config: the built-in defaults (no"
        + " -conf given, and no conf/config.json in " + dir + "); GAME_EVENTS_* environment variables apply");
    assertThat(lines).last().asString().startsWith("game-events: failed to start: no credentials configured");
  }
}
