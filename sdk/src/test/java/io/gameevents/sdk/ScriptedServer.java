package io.gameevents.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import org.awaitility.Awaitility;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for the ingestion API: records every request and answers from a script, then like a healthy
 * server (accepted, or all accepted for a batch).
 */
final class ScriptedServer {

  /** One request as received; {@code body} is decompressed when it was gzipped. */
  record Recorded(String method, String path, MultiMap headers, String body, int wireBytes, long receivedNanos) {
    JsonObject json() {
      return new JsonObject(body);
    }

    /** The events of a batch, or the single event. */
    List<JsonObject> events() {
      JsonObject json = json();
      JsonArray events = json.getJsonArray("events");
      return events == null ? List.of(json) : events.stream().map(JsonObject.class::cast).toList();
    }
  }

  sealed interface Answer permits Reply, Drop, Hang {
  }

  record Reply(int status, Map<String, String> headers, String body) implements Answer {
  }

  /** Close the connection without an answer. */
  record Drop() implements Answer {
  }

  /** Never answer. */
  record Hang() implements Answer {
  }

  private final Vertx vertx;
  private final Queue<Function<Recorded, Answer>> script = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private ScriptedServer(Vertx vertx) {
    this.vertx = vertx;
  }

  static ScriptedServer start(Vertx vertx) throws Exception {
    ScriptedServer scripted = new ScriptedServer(vertx);
    scripted.server = vertx.createHttpServer()
        .requestHandler(scripted::handle)
        .listen(0, "127.0.0.1")
        .await(60, SECONDS);
    return scripted;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** Queues the answer to the next unscripted request. */
  ScriptedServer then(Function<Recorded, Answer> answer) {
    script.add(answer);
    return this;
  }

  ScriptedServer thenReply(int status, String body, String... headerPairs) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    return then(request -> new Reply(status, headers, body));
  }

  ScriptedServer thenProblem(int status, String title) {
    return thenReply(status, new JsonObject().put("type", "about:blank").put("title", title)
        .put("status", status).put("detail", title + " (scripted)").encode(),
        "Content-Type", "application/problem+json");
  }

  ScriptedServer thenDrop() {
    return then(request -> new Drop());
  }

  ScriptedServer thenHang() {
    return then(request -> new Hang());
  }

  /** Waits (bounded) until at least {@code count} requests arrived. */
  List<Recorded> awaitRequests(int count, Duration timeout) {
    Awaitility.await().atMost(timeout).until(() -> requests.size() >= count);
    return requests();
  }

  void close() throws Exception {
    server.close().await(60, SECONDS);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(raw -> {
      Recorded recorded = new Recorded(request.method().name(), request.path(), copy(request.headers()),
          decode(raw, request.getHeader("Content-Encoding")), raw.length(), System.nanoTime());
      requests.add(recorded);
      Function<Recorded, Answer> scripted = script.poll();
      Answer answer = scripted != null ? scripted.apply(recorded) : healthyAnswer(recorded);
      if (answer instanceof Reply reply) {
        reply.headers().forEach(request.response()::putHeader);
        if (!reply.headers().containsKey("Content-Type")) {
          request.response().putHeader("Content-Type", "application/json");
        }
        request.response().setStatusCode(reply.status()).end(reply.body());
      } else if (answer instanceof Drop) {
        request.connection().close();
      }
    });
  }

  static Answer healthyAnswer(Recorded request) {
    if (request.path().equals("/v1/batch")) {
      JsonArray results = new JsonArray();
      List<JsonObject> events = request.events();
      for (int i = 0; i < events.size(); i++) {
        results.add(new JsonObject().put("index", i).put("event_id", events.get(i).getString("event_id"))
            .put("status", "accepted"));
      }
      return new Reply(200, Map.of(), new JsonObject().put("accepted", events.size()).put("duplicates", 0)
          .put("rejected", 0).put("results", results).encode());
    }
    return accepted(request, "accepted");
  }

  static Reply accepted(Recorded request, String status) {
    return new Reply(200, Map.of(),
        new JsonObject().put("status", status).put("event_id", request.json().getString("event_id")).encode());
  }

  private static MultiMap copy(MultiMap headers) {
    return MultiMap.caseInsensitiveMultiMap().addAll(headers);
  }

  private static String decode(Buffer raw, String encoding) {
    if (!"gzip".equalsIgnoreCase(encoding)) {
      return raw.toString(StandardCharsets.UTF_8);
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.getBytes()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
