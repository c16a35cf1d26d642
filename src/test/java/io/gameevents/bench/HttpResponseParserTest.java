package io.gameevents.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpResponseParserTest {

  private static final String SERVICE_200 = "HTTP/1.1 200 OK\r\nX-Request-Id: c2f6149cd35eb1f46ee5887d045a0cba\r\n"
      + "Vary: Origin\r\nContent-Type: application/json\r\ncontent-length: 38\r\n\r\n"
      + "{\"status\":\"accepted\",\"event_id\":\"x-1\"}";
  private static final String SERVICE_401 = "HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n"
      + "Content-Type: application/problem+json\r\ncontent-length: 2\r\n\r\n{}";
  private static final String CHUNKED_503 = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n"
      + "Retry-After: 1\r\n\r\n5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";

  private final HttpResponseParser parser = new HttpResponseParser();

  /** Feeds {@code pieces} one buffer each, as separate socket reads; returns "status close" per response. */
  private List<String> responses(String... pieces) throws HttpResponseParser.MalformedResponse {
    List<String> seen = new ArrayList<>();
    for (String piece : pieces) {
      ByteBuffer bytes = ByteBuffer.wrap(piece.getBytes(StandardCharsets.ISO_8859_1));
      while (bytes.hasRemaining()) {
        if (parser.feed(bytes)) {
          seen.add(parser.status() + (parser.closes() ? " close" : " keep-alive"));
        }
      }
    }
    return seen;
  }

  @Test
  void readsTheServicesAnswer() throws Exception {
    assertThat(responses(SERVICE_200)).containsExactly("200 keep-alive");
    assertThat(parser.idle()).isTrue();
  }

  @Test
  void aResponseSplitAtEveryByteIsOneResponse() throws Exception {
    String[] bytes = SERVICE_200.split("");
    assertThat(responses(bytes)).containsExactly("200 keep-alive");
  }

  @Test
  void isNotIdleInTheMiddleOfAResponse() throws Exception {
    assertThat(responses(SERVICE_200.substring(0, 100))).isEmpty();
    assertThat(parser.idle()).isFalse();
    assertThat(parser.endOfStream()).isFalse();
  }

  @Test
  void pipelinedResponsesInOneReadAreEachCounted() throws Exception {
    assertThat(responses(SERVICE_200 + CHUNKED_503 + SERVICE_401 + SERVICE_200))
        .containsExactly("200 keep-alive", "503 keep-alive", "401 close", "200 keep-alive");
  }

  @Test
  void aChunkedBodyEndsAtTheLastChunkAndItsTrailers() throws Exception {
    int cut = CHUNKED_503.indexOf("abcdef") + 3;
    assertThat(responses(CHUNKED_503.substring(0, cut), CHUNKED_503.substring(cut) + SERVICE_200))
        .containsExactly("503 keep-alive", "200 keep-alive");
  }

  @Test
  void connectionCloseAndHttp10MeanTheConnectionCloses() throws Exception {
    assertThat(responses(SERVICE_401, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"))
        .containsExactly("401 close", "200 close", "200 keep-alive");
  }

  @Test
  void noBodyFor204And304AndInterimAnswersAreSkipped() throws Exception {
    assertThat(responses("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"))
        .containsExactly("204 keep-alive", "304 keep-alive");
  }

  @Test
  void aBodyWithoutLengthRunsToTheEndOfTheStream() throws Exception {
    assertThat(responses("HTTP/1.1 500 Oops\r\n\r\nsome body")).isEmpty();
    assertThat(parser.endOfStream()).isTrue();
    assertThat(parser.status()).isEqualTo(500);
    assertThat(parser.closes()).isTrue();
  }

  @Test
  void garbageIsMalformed() {
    assertThatThrownBy(() -> responses("SSH-2.0-OpenSSH_9.2\r\n"))
        .isInstanceOf(HttpResponseParser.MalformedResponse.class).hasMessageContaining("not an HTTP/1.x status line");
    assertThatThrownBy(() -> new HttpResponseParserTest().responses("HTTP/1.1 2x0 OK\r\n"))
        .isInstanceOf(HttpResponseParser.MalformedResponse.class).hasMessageContaining("three-digit status");
    assertThatThrownBy(() -> new HttpResponseParserTest().responses("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n"))
        .isInstanceOf(HttpResponseParser.MalformedResponse.class).hasMessageContaining("Content-Length");
    assertThatThrownBy(() -> new HttpResponseParserTest().responses(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n"))
        .isInstanceOf(HttpResponseParser.MalformedResponse.class).hasMessageContaining("longer than its size");
  }

  @Test
  void resetForgetsAPartialResponse() throws Exception {
    responses(SERVICE_200.substring(0, 30));
    parser.reset();
    assertThat(responses(SERVICE_401)).containsExactly("401 close");
  }
}
