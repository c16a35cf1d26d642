package io.gameevents.debugger;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.gameevents.debugger.DebuggerStreamTest.start;
import static io.gameevents.support.TestService.ADMIN_TOKEN;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stream whose client never reads is cut off, its queue bounded, while ingestion keeps answering 200. */
@ExtendWith(VertxExtension.class)
class SlowSubscriberTest {

  @Test
  void aSubscriberThatNeverReadsIsCutOffWhileIngestionKeepsAnswering(Vertx vertx) throws Exception {
    TestService service = start(vertx, c -> c.put("debugger", new JsonObject().put("buffer_size", 2000)
        .put("max_events_per_second", 100_000).put("show_properties", true)));
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096); // a small window: the server's queue fills sooner
      socket.connect(new InetSocketAddress("127.0.0.1", service.port));
      OutputStream out = socket.getOutputStream();
      out.write(("GET /debugger/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN_TOKEN
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(service) == 1);

      String blob = "x".repeat(15_000); // each entry ~15 KB on the stream
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
        JsonArray events = new JsonArray();
        for (int i = 0; i < 20; i++) {
          events.add(install(newId()).put("properties", new JsonObject().put("blob", blob)));
        }
        int status = service.postJson("/v1/batch", new JsonObject().put("events", events)).await(60, SECONDS).statusCode();
        assertThat(status).as("ingestion while a subscriber does not read").isEqualTo(200);
        return dropped(service) == 1.0;
      });

      assertThat(subscribers(service)).isZero();
      assertThat(service.postJson("/v1/events/install", install(newId())).await(60, SECONDS).statusCode()).isEqualTo(200);
      // what the server had sent before cutting it off is bounded (socket buffers plus the write queue), then EOF
      socket.setSoTimeout(20_000);
      InputStream in = socket.getInputStream();
      long total = 0;
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        total += n;
      }
      assertThat(total).isPositive().isLessThan(32L * 1024 * 1024);
    } finally {
      service.stop().await(60, SECONDS);
    }
  }

  private static double subscribers(TestService service) {
    return service.registry.get("game_events_debugger_subscribers").gauge().value();
  }

  private static double dropped(TestService service) {
    return service.registry.get("game_events_debugger_dropped_subscribers").counter().count();
  }
}
