package io.gameevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String request(RequestTemplate template, long sequence) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(template.length());
    template.copyTo(buffer);
    template.stamp(buffer, sequence);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static JsonNode body(String request) throws Exception {
    String[] parts = request.split("\r\n\r\n", 2);
    int length = Integer.parseInt(parts[0].replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    assertThat(parts[1].getBytes(StandardCharsets.UTF_8)).hasSize(length);
    return JSON.readTree(parts[1]);
  }

  @Test
  void aSingleEventRequestIsTheInstallEventOfTheWrkScript() throws Exception {
    RequestTemplate template = RequestTemplate.installEvents("127.0.0.1:8000", "/v1/events/install",
        "Bearer dev-secret", 0, "run1", "2026-12-02T04:00:00Z");
    String request = request(template, 1234);
    assertThat(request).startsWith("POST /v1/events/install HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n")
        .contains("\r\nAuthorization: Bearer dev-secret\r\n", "\r\nContent-Type: application/json\r\n");
    JsonNode event = body(request);
    assertThat(event.get("event_id").asText()).isEqualTo("open-run1-000000001234");
    assertThat(event.get("player_id").asText()).isEqualTo("player_234");
    assertThat(event.get("event_type").asText()).isEqualTo("install");
    assertThat(event.get("occurred_at").asText()).isEqualTo("2026-12-02T04:00:00Z");
  }

  @Test
  void everyEventOfEveryRequestHasItsOwnId() throws Exception {
    RequestTemplate template = RequestTemplate.installEvents("h:1", "/v1/batch", "Bearer k", 100, "r", "2026-12-02T04:00:00Z");
    ByteBuffer reused = ByteBuffer.allocateDirect(template.length());
    template.copyTo(reused);
    Set<String> ids = new HashSet<>();
    for (long sequence = 0; sequence < 50; sequence++) {
      template.stamp(reused, sequence); // stamped over the previous request, as a connection does
      byte[] bytes = new byte[reused.remaining()];
      reused.get(bytes);
      for (JsonNode event : body(new String(bytes, StandardCharsets.UTF_8)).get("events")) {
        ids.add(event.get("event_id").asText());
      }
    }
    assertThat(ids).hasSize(5000).contains("open-r-000000000000", "open-r-000000004999");
  }
}
