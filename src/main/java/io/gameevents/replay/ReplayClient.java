package io.gameevents.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends records to a running service's {@code POST /v1/admin/replay} and returns each record's answer. A 503 (some
 * events not stored) is retried for those events after its Retry-After, a bounded number of times: the service's
 * dedup makes that safe, the stored ones coming back as duplicates.
 */
final class ReplayClient {

  static final String PATH = "/v1/admin/replay";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long MAX_RETRY_AFTER_SECONDS = 30;

  /** The service answered the request itself with a refusal (401, 404, 413, 429...): replay cannot go on. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }
  }

  /** One record's answer: accepted, duplicate, rejected (with its type and errors) or unavailable. */
  record Answer(String status, String type, List<String> pointers) {
  }

  /** Sleeps between retries; tests pass one that does not wait. */
  interface Pause {
    void seconds(long seconds) throws InterruptedException;
  }

  private final HttpClient http;
  private final URI endpoint;
  private final String token;
  private final int attempts;
  private final Pause pause;

  ReplayClient(String baseUrl, String token, int attempts, Pause pause) {
    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade on every cleartext request
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
    this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + PATH);
    this.token = token;
    this.attempts = attempts;
    this.pause = pause;
  }

  /** One answer per record, in order; records still unavailable after the last attempt answer "unavailable". */
  List<Answer> send(List<ObjectNode> records) throws IOException, InterruptedException, Refused {
    Answer[] answers = new Answer[records.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      pending.add(i);
    }
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      ArrayNode batch = JSON.createArrayNode();
      pending.forEach(i -> batch.add(records.get(i)));
      HttpResponse<byte[]> response = post(batch);
      int status = response.statusCode();
      JsonNode body = readBody(response.body());
      if (status != 200 && !(status == 503 && body.has("results"))) {
        throw new Refused(status, body.path("detail").asText(new String(response.body(),
            java.nio.charset.StandardCharsets.UTF_8)));
      }
      List<Integer> stillPending = new ArrayList<>();
      JsonNode results = body.path("results");
      for (int j = 0; j < pending.size(); j++) {
        Answer answer = answer(results.path(j));
        if (answer.status().equals("unavailable") && attempt < attempts) {
          stillPending.add(pending.get(j));
        } else {
          answers[pending.get(j)] = answer;
        }
      }
      pending = stillPending;
      if (!pending.isEmpty()) {
        long wait = response.headers().firstValue("Retry-After").map(ReplayClient::seconds).orElse(1L);
        pause.seconds(Math.min(Math.max(wait, 1), MAX_RETRY_AFTER_SECONDS));
      }
    }
    return List.of(answers);
  }

  private HttpResponse<byte[]> post(ArrayNode batch) throws IOException, InterruptedException {
    byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().set("records", batch));
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode readBody(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static Answer answer(JsonNode result) {
    List<String> pointers = new ArrayList<>();
    result.path("errors").forEach(error -> pointers.add(error.path("pointer").asText()));
    return new Answer(result.path("status").asText("unavailable"), result.path("type").asText(null), pointers);
  }

  private static long seconds(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
