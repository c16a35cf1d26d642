package io.gameevents.http;

import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A refusal sent before the body is read says {@code Connection: close} and then closes, after
 * reading enough of the body that a client which writes all of it before reading (Python's
 * http.client, many SDKs) can still read the answer: the status line, then the end of the stream.
 */
class RefusalCloseTest extends ServiceTestBase {

  private static final int MIB = 1024 * 1024;

  @Test
  void aWrongKeyWithAFullBodyWrittenFirstReadsItsAnswerThenTheEnd() throws Exception {
    byte[] body = new byte[MIB - 1024];
    assertRefusedAfterAFullWrite(RawHttp.post("/v1/batch", body, "Content-Type: application/json",
        "Authorization: Bearer not-a-key"), 401);
  }

  @Test
  void aDeclaredOversizedBodyWrittenFirstReadsItsAnswerThenTheEnd() throws Exception {
    assertRefusedAfterAFullWrite(RawHttp.post("/v1/batch", new byte[3 * MIB], "Content-Type: application/json",
        "Authorization: Bearer " + TestService.KEY), 413);
  }

  @Test
  void aChunkedOversizedBodyWrittenFirstReadsItsAnswerThenTheEnd() throws Exception {
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    chunked.write(RawHttp.head("POST /v1/batch HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
        "Authorization: Bearer " + TestService.KEY, "Transfer-Encoding: chunked"));
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < 40; i++) { // 2.5 MiB: past the 1 MiB limit, found while reading
      chunked.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(chunk);
      chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertRefusedAfterAFullWrite(chunked.toByteArray(), 413);
  }

  /**
   * A client that sent only the head of a refused request and then stays silent is answered, and its
   * connection is closed once it has been quiet for a while (Refusal.IDLE_MS), well before the
   * body timeout (http.body_timeout_ms, 15 s here) that would otherwise hold the socket.
   */
  @Test
  void aSilentClientAfterARefusedHeadIsClosedOnceQuiet() throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(RawHttp.head("POST /v1/batch HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Authorization: Bearer not-a-key", "Content-Length: 1000000"));
      RawHttp.Response response = client.read();
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.header("connection")).isEqualTo("close");
      await().atMost(Duration.ofSeconds(12)).until(client::atEndOfStream);
    }
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void aRefusalWithNoBodyLeftClosesToo() throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(RawHttp.post("/v1/events/install", TestService.install(TestService.newId()).toBuffer().getBytes(),
          "Content-Type: text/plain", "Authorization: Bearer " + TestService.KEY));
      RawHttp.Response response = client.read();
      assertThat(response.status()).isEqualTo(415);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(client.atEndOfStream()).isTrue();
    }
    assertThat(service.sinkRecords()).isEmpty();
  }

  private void assertRefusedAfterAFullWrite(byte[] request, int status) throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      // the whole request first, as such clients do; a server that never reads would block this write
      CompletableFuture.runAsync(() -> {
        try {
          client.write(request);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(20, TimeUnit.SECONDS);
      RawHttp.Response response = client.read();
      assertThat(response.status()).isEqualTo(status);
      assertThat(response.header("content-type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(new JsonObject(response.text()).getString("detail")).isNotBlank();
      assertThat(client.atEndOfStream()).as("closed after the answer").isTrue();
    }
    assertThat(service.sinkRecords()).isEmpty();
    try (RawHttp next = RawHttp.connect(service.port)) {
      next.write(RawHttp.post("/v1/events/install", TestService.install(TestService.newId()).toBuffer().getBytes(),
          "Content-Type: application/json", "Authorization: Bearer " + TestService.KEY));
      assertThat(next.read().status()).isEqualTo(200);
    }
  }
}
