package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One reading of where a request ends (RFC 9112 §6.1, §6.3, §5.2): a request whose length a proxy in front
 * could read otherwise is answered 400 and its connection closed, and nothing behind it on the connection is
 * read as a request.
 */
class RequestFramingTest extends ServiceTestBase {

  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @Test
  void chunkedWithAContentLengthIsRefusedAndWhatFollowsIsNotAnswered() throws Exception {
    // read by Content-Length, the body is "1a\r\n" and the rest a second request; read as chunked, one event
    byte[] request = RawHttp.concat(eventHead("Transfer-Encoding: chunked", "Content-Length: 4"), chunked(event()));
    assertRefusedAlone(RawHttp.concat(request, ascii(HEALTH)), "Transfer-Encoding and Content-Length");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "chunked, gzip", "gzip, chunked", "identity", "xchunked", "chunked;q=1"})
  void aTransferEncodingOtherThanChunkedIsRefused(String coding) throws Exception {
    byte[] request = RawHttp.concat(eventHead("Transfer-Encoding: " + coding), chunked(event()));
    assertRefusedAlone(RawHttp.concat(request, ascii(HEALTH)), "Transfer-Encoding");
  }

  @Test
  void aDoubledTransferEncodingIsRefused() throws Exception {
    byte[] request = RawHttp.concat(eventHead("Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
        chunked(event()));
    assertRefusedAlone(RawHttp.concat(request, ascii(HEALTH)), "Transfer-Encoding");
  }

  @Test
  void aFoldedHeaderLineIsRefused() throws Exception {
    byte[] body = event();
    byte[] request = RawHttp.concat(eventHead("Content-Length: " + body.length, "X-Note: first", "\tsecond"), body);
    assertRefusedAlone(RawHttp.concat(request, ascii(HEALTH)), "folded");
  }

  @Test
  void aFoldedHeaderLineIsFoundWhenTheHeadArrivesInPieces() throws Exception {
    byte[] body = event();
    String head = new String(eventHead("Content-Length: " + body.length, "X-Note: first", " second"),
        StandardCharsets.ISO_8859_1);
    int fold = head.indexOf(" second");
    try (RawHttp client = RawHttp.connect(service.port)) {
      // split before the fold and inside the line end before it, so the fold is in a later read
      client.write(ascii(head.substring(0, fold - 1)));
      client.write(ascii(head.substring(fold - 1, fold)));
      client.write(RawHttp.concat(ascii(head.substring(fold)), body));
      assertRefused(client, "folded");
    }
    assertThat(service.sinkRecords()).isEmpty();
  }

  @Test
  void chunkedAloneAndPipelinedRequestsAreStillRead() throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(RawHttp.concat(RawHttp.concat(eventHead("Transfer-Encoding: chunked"), chunked(event())),
          ascii(HEALTH)));
      assertThat(client.read().status()).isEqualTo(200);
      assertThat(client.read().status()).isEqualTo(200);
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(service.sinkRecords()).hasSize(1));
  }

  @Test
  void aValidHeadTrickledAByteAtATimeIsRead() throws Exception {
    byte[] body = event();
    byte[] request = RawHttp.concat(eventHead("Content-Length: " + body.length), body);
    try (RawHttp client = RawHttp.connect(service.port)) {
      for (byte b : request) {
        client.write(new byte[] {b});
      }
      assertThat(client.read().status()).isEqualTo(200);
    }
  }

  private void assertRefusedAlone(byte[] requests, String named) throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      client.write(requests);
      assertRefused(client, named);
    }
    assertThat(service.sinkRecords()).isEmpty();
  }

  private static void assertRefused(RawHttp client, String named) throws Exception {
    RawHttp.Response response = client.read();
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("content-type")).isEqualTo(Problem.CONTENT_TYPE);
    assertThat(response.header("connection")).isEqualTo("close");
    assertThat(response.json().getString("detail")).contains(named);
    assertThat(client.atEndOfStream()).as("closed, with no second answer").isTrue();
  }

  private static byte[] eventHead(String... framing) {
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1", "Content-Type: application/json",
        "Authorization: Bearer " + TestService.KEY));
    headers.addAll(List.of(framing));
    return RawHttp.head("POST /v1/events/install HTTP/1.1", headers.toArray(String[]::new));
  }

  private static byte[] event() {
    return TestService.install(TestService.newId()).toBuffer().getBytes();
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    chunks.writeBytes(ascii(Integer.toHexString(body.length) + "\r\n"));
    chunks.writeBytes(body);
    chunks.writeBytes(ascii("\r\n0\r\n\r\n"));
    return chunks.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
