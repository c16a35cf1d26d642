package io.gameevents.http.auth;

import io.gameevents.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hash-key}: what it prints pastes into a config, and the key then authenticates. */
@ExtendWith(VertxExtension.class)
class HashKeyCommandTest {

  private record Run(int exitCode, List<String> out, String err) {
    /** The line after the one starting with {@code heading}, as JSON. */
    JsonObject entryAfter(String heading) {
      for (int i = 0; i < out.size() - 1; i++) {
        if (out.get(i).startsWith(heading)) {
          return new JsonObject(out.get(i + 1).strip());
        }
      }
      throw new AssertionError("no '" + heading + "' in " + out);
    }
  }

  private static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HashKeyCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aGeneratedKeyPastedAsPrintedAuthenticatesAndItsTokenEntryIsAValidAdminToken(Vertx vertx) throws Exception {
    Run run = run("");
    assertThat(run.exitCode()).isZero();
    String key = run.out().get(0).substring(run.out().get(0).lastIndexOf(' ') + 1);
    assertThat(key).matches("[A-Za-z0-9_-]{43}");

    JsonObject apiKey = run.entryAfter("for auth.api_keys");
    JsonObject adminToken = run.entryAfter("for admin.tokens");
    // as an operator pastes them, on an address reachable from other machines: a real key is no published one
    AppConfig config = AppConfig.from(new JsonObject()
        .put("http", new JsonObject().put("host", "0.0.0.0"))
        .put("auth", new JsonObject().put("api_keys", new JsonArray().add(apiKey)))
        .put("admin", new JsonObject().put("tokens", new JsonArray().add(adminToken.put("sha256",
            run("other-token-0123", "--stdin").entryAfter("for admin.tokens").getString("sha256"))))));

    Principal principal = Authenticator.create(vertx, config.auth())
        .compose(authenticator -> authenticator.authenticate("Bearer " + key)).await(10, TimeUnit.SECONDS);
    assertThat(principal.credentialId()).isEqualTo("game");
    assertThat(principal.appIds()).isEqualTo(Set.of("com.studio.game"));
    assertThat(AdminTokens.from(config.admin(), config.auth()).authenticate("Bearer other-token-0123")).isEqualTo("ops");
  }

  @Test
  void aKeyFromStdinIsHashedAndNotEchoed() {
    Run run = run("my-own-key-0123\n", "--stdin");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).first().isEqualTo("sha256: " + sha256("my-own-key-0123"));
    assertThat(String.join("\n", run.out())).doesNotContain("my-own-key-0123");
    assertThat(run.entryAfter("for auth.api_keys").getString("sha256")).isEqualTo(sha256("my-own-key-0123"));
  }

  @Test
  void twoGeneratedKeysDiffer() {
    assertThat(run("").out().get(0)).isNotEqualTo(run("").out().get(0));
  }

  @Test
  void aKeyNoBearerHeaderCanCarryIsRefused() {
    Run spaces = run("has a space in it\n", "--stdin");
    assertThat(spaces.exitCode()).isEqualTo(2);
    assertThat(spaces.out()).isEmpty();
    assertThat(spaces.err()).startsWith("game-events: the key may only contain A-Z a-z 0-9");

    Run empty = run("", "--stdin");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).isEqualTo("game-events: the key must be at least 8 characters\n");

    Run unknown = run("", "--from-file");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("usage: java -jar game-events.jar hash-key [--stdin]");
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
