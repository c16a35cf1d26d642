package io.gameevents.http;

import io.gameevents.support.RawHttp;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * http.h2c: HTTP/2 over cleartext, by prior knowledge or by an HTTP/1.1 {@code Upgrade: h2c}, is off unless
 * configured, so a client behind a proxy that filters HTTP/1 requests cannot switch protocol under it.
 */
@ExtendWith(VertxExtension.class)
class CleartextHttp2Test {

  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  /** An empty SETTINGS frame: length 0, type 4, no flags, stream 0. */
  private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  private static final byte[] UPGRADE = RawHttp.head("GET /health HTTP/1.1", "Host: 127.0.0.1",
      "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__");

  @Test
  void offByDefaultAnUpgradeIsServedAsHttp1(Vertx vertx) throws Exception {
    TestService service = start(vertx, null);
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(UPGRADE);
      RawHttp.Response response = client.read();
      assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
      assertThat(response.header("upgrade")).isNull();
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void offByDefaultAPriorKnowledgePrefaceIsNotSpokenTo(Vertx vertx) throws Exception {
    TestService service = start(vertx, null);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(RawHttp.concat(PREFACE.getBytes(StandardCharsets.US_ASCII), EMPTY_SETTINGS));
      byte[] answer = socket.getInputStream().readAllBytes(); // up to the server's close
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).matches("(?s)HTTP/1\\.[01] 400 .*")
          .contains("Content-Type: " + Problem.CONTENT_TYPE).contains("not valid HTTP/1.1");
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void onAnUpgradeSwitchesAndAPrefaceIsAnsweredWithSettings(Vertx vertx) throws Exception {
    TestService service = start(vertx, true);
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(UPGRADE);
      assertThat(client.readHead().status()).isEqualTo(101);
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(RawHttp.concat(PREFACE.getBytes(StandardCharsets.US_ASCII), EMPTY_SETTINGS));
      InputStream in = socket.getInputStream();
      byte[] frameHead = in.readNBytes(9);
      assertThat(frameHead[3]).as("an HTTP/2 SETTINGS frame").isEqualTo((byte) 4);
    } finally {
      service.stop().await(30, TimeUnit.SECONDS);
    }
  }

  private static TestService start(Vertx vertx, Boolean h2c) throws Exception {
    return TestService.start(vertx, config -> {
      if (h2c != null) {
        config.getJsonObject("http").put("h2c", h2c);
      }
      return config;
    }).await(30, TimeUnit.SECONDS);
  }
}
