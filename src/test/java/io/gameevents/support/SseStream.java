package io.gameevents.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of a Server-Sent Events stream ({@code /debugger/events}): keeps every event it receives, and the
 * raw text, for a test to wait on with Awaitility.
 */
public final class SseStream implements AutoCloseable {

  /** One SSE event: its {@code event:} name ({@code message} when it has none) and its {@code data:} JSON. */
  public record Event(String type, JsonObject data) {
  }

  private final HttpClient client;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final StringBuilder raw = new StringBuilder();
  private final StringBuilder pending = new StringBuilder();
  private volatile HttpClientResponse response;
  private volatile boolean ended;

  private SseStream(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code path} on 127.0.0.1:{@code port}; completes with the stream once its headers are in. */
  public static Future<SseStream> open(Vertx vertx, int port, String path, String bearer) {
    SseStream stream = new SseStream(vertx.createHttpClient());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path);
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    // the handlers are set in the turn the head arrives, so no event is missed (see Exchange)
    return Exchange.open(stream.client, options, null, response -> {
      stream.response = response;
      response.handler(buffer -> stream.take(buffer.toString(StandardCharsets.UTF_8)));
      response.endHandler(v -> stream.ended = true);
      response.exceptionHandler(e -> stream.ended = true);
      return Future.succeededFuture(stream);
    });
  }

  private synchronized void take(String text) {
    raw.append(text);
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      if (!data.isEmpty()) {
        events.add(new Event(type, new JsonObject(data.toString())));
      }
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  /** The entries ({@code data:} lines without an event name) so far. */
  public List<JsonObject> entries() {
    return events.stream().filter(e -> e.type().equals("message")).map(Event::data).toList();
  }

  public List<JsonObject> named(String type) {
    return events.stream().filter(e -> e.type().equals(type)).map(Event::data).toList();
  }

  /** True once the server ended or closed the stream. */
  public boolean ended() {
    return ended;
  }

  public synchronized String raw() {
    return raw.toString();
  }

  @Override
  public void close() {
    client.close();
  }
}
