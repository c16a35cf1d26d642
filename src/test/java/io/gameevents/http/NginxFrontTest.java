package io.gameevents.http;

import io.gameevents.support.CapturedLog;
import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.KEY;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The service behind a real nginx (Debian's nginx-light) that appends the address it saw to X-Forwarded-For, as
 * docs/running-on-the-internet.md tells proxies to: with 127.0.0.1 (nginx) trusted, the client is the player nginx saw, not
 * nginx, and not what the player wrote in its own X-Forwarded-For. Skipped when /usr/sbin/nginx is missing,
 * unless {@code GAME_EVENTS_REQUIRE_NGINX=true} (CI), where that fails instead.
 */
class NginxFrontTest extends ServiceTestBase {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String LIMITED = "limited-key-behind-nginx";

  private Path dir;
  private Process nginx;
  private int nginxPort;
  private CapturedLog log;

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("trusted_proxies", new JsonArray().add("127.0.0.1"));
    config.getJsonObject("auth").getJsonArray("api_keys").add(RateLimitTest.key("limited", LIMITED)
        .put("rate_limit", new JsonObject().put("events_per_second", 100).put("burst", 100)
            .put("per_address", new JsonObject().put("events_per_second", 1).put("burst", 1))));
    return config;
  }

  @BeforeEach
  void startNginx() throws Exception {
    if ("true".equals(System.getenv("GAME_EVENTS_REQUIRE_NGINX"))) {
      assertThat(Files.isExecutable(NGINX)).as("%s (GAME_EVENTS_REQUIRE_NGINX is true: apt-get install nginx-light)",
          NGINX).isTrue();
    }
    if (!Files.isExecutable(NGINX)) {
      System.err.println("!!! NginxFrontTest SKIPPED: " + NGINX + " is missing (Debian: apt-get install nginx-light)");
    }
    assumeThat(Files.isExecutable(NGINX)).as(NGINX + " is missing (Debian: apt-get install nginx-light)").isTrue();
    dir = Files.createTempDirectory("game-events-nginx");
    nginxPort = TestService.freePort();
    Files.writeString(dir.resolve("nginx.conf"), config(dir, nginxPort, service.port));
    // one process in the foreground, everything under the temp dir: no daemon, no workers switching user
    nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    await().atMost(WAIT).until(() -> !nginx.isAlive() || listening(nginxPort));
    assertThat(nginx.isAlive()).as("nginx running; its error log:%n%s", errorLog()).isTrue();
    log = CapturedLog.access();
  }

  @AfterEach
  void stopNginx() throws Exception {
    if (log != null) {
      log.close();
    }
    if (nginx != null) {
      nginx.destroy(); // SIGTERM: nginx's fast shutdown
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theClientIsThePlayerNginxSawNotNginxNorWhatThePlayerWroteItself() throws Exception {
    RawHttp.Response plain = sendFrom("127.0.0.3");
    RawHttp.Response forged = sendFrom("127.0.0.4", "X-Forwarded-For: 203.0.113.66");

    assertThat(plain.status()).as(plain.text()).isEqualTo(200);
    assertThat(forged.status()).as(forged.text()).isEqualTo(200);
    assertThat(client(plain)).isEqualTo("127.0.0.3");
    assertThat(client(forged)).isEqualTo("127.0.0.4");
  }

  @Test
  void eachPlayerBehindNginxHasItsOwnShareOfTheKeysRateLimit() throws Exception {
    RawHttp.Response first = sendFrom("127.0.0.3", "Authorization: Bearer " + LIMITED);
    RawHttp.Response again = sendFrom("127.0.0.3", "Authorization: Bearer " + LIMITED);
    RawHttp.Response otherPlayer = sendFrom("127.0.0.4", "Authorization: Bearer " + LIMITED);

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(again.status()).as(again.text()).isEqualTo(429);
    assertThat(again.json().getString("limit")).isEqualTo("client_address");
    assertThat(again.json().getString("detail")).startsWith("client address 127.0.0.3 is over its share");
    assertThat(otherPlayer.status()).as(otherPlayer.text()).isEqualTo(200);
  }

  private String client(RawHttp.Response answer) {
    String requestId = answer.header("X-Request-Id");
    await().atMost(WAIT).until(() -> log.request(requestId) != null);
    return log.request(requestId).getString("client");
  }

  private RawHttp.Response sendFrom(String player, String... headers) throws IOException {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("Content-Type: application/json",
        "Connection: close"));
    all.addAll(java.util.List.of(headers));
    if (all.stream().noneMatch(header -> header.startsWith("Authorization:"))) {
      all.add("Authorization: Bearer " + KEY);
    }
    try (RawHttp connection = RawHttp.connectFrom(player, nginxPort)) {
      return connection.write(RawHttp.post("/v1/events/install", install(newId()).toBuffer().getBytes(),
          all.toArray(String[]::new))).read();
    }
  }

  private static String config(Path dir, int port, int upstream) {
    return """
        daemon off;
        master_process off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        events { worker_connections 64; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location / {
              proxy_pass http://127.0.0.1:%3$d;
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_connect_timeout 5s;
              proxy_read_timeout 30s;
            }
          }
        }
        """.formatted(dir, port, upstream);
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String errorLog() throws IOException {
    Path file = dir.resolve("error.log");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
  }
}
