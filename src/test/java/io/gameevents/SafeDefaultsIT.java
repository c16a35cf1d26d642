package io.gameevents;

import io.gameevents.support.JarNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar: the dev key refused off loopback in one line, and hash-key as an operator runs it. */
class SafeDefaultsIT {

  private static final Path JAR = Path.of("target/game-events.jar").toAbsolutePath();

  @Test
  void theJarRefusesTheDevKeyOffLoopbackInOneLine(@TempDir Path dir) throws Exception {
    // a documentation address (TEST-NET-1): refused before any bind
    JarNode node = JarNode.single(dir).env("GAME_EVENTS_HTTP_HOST", "192.0.2.1");

    assertThat(node.startAndExit(Duration.ofSeconds(60))).isNotZero();

    assertThat(node.log().lines().filter(line -> line.startsWith("game-events:")).toList()).containsExactly(
        "game-events: failed to start: auth.api_keys[0] (id \"dev\") is the published development key \"dev-secret\","
            + " refused because http.host 192.0.2.1 is not a loopback address: make a real one with 'java -jar"
            + " game-events.jar hash-key' and configure its sha256 (or set http.host to 127.0.0.1)");
  }

  @Test
  void hashKeyPrintsTheEntriesToPasteWithoutStartingTheService(@TempDir Path dir) throws Exception {
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "hash-key", "--stdin")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().write("an-operator-key-0123\n".getBytes());
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();

    assertThat(process.exitValue()).isZero();
    // sha256 of "an-operator-key-0123"; no log line, nothing else
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest("an-operator-key-0123".getBytes()));
    assertThat(lines).containsExactly(
        "sha256: " + sha256,
        "for auth.api_keys (choose the id and app_ids):",
        "  {\"id\": \"game\", \"sha256\": \"" + sha256 + "\", \"app_ids\": [\"com.studio.game\"]}",
        "for admin.tokens (choose the id):",
        "  {\"id\": \"ops\", \"sha256\": \"" + sha256 + "\"}");
  }
}
