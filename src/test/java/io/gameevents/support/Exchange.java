package io.gameevents.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One request on a raw Vert.x {@link HttpClient}, its answer read whole, safe to call from any thread.
 *
 * <p>The answer's handlers are attached inside the continuation of {@code send()} itself. Chained one level
 * out, as {@code client.request(o).compose(r -> r.send()).compose(a -> a.body())}, the second step runs on the
 * context of {@code request()}'s future, which for a caller outside Vert.x can sit on another event loop than the
 * request's stream. The stream's loop may then take the answer's end before {@code body()} is called, and in
 * Vert.x 5.0.7 that body never completes (eclipse-vertx/vert.x#6038, fixed in later 5.0 releases): a request the
 * server answered looks unanswered. {@code ClientChainsTest} keeps the one-level-out form out of the tests.
 */
public final class Exchange {

  public record Answer(int status, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String text() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  private Exchange() {
  }

  /** Sends {@code body} (none when null) and reads the whole answer. */
  public static Future<Answer> send(HttpClient client, RequestOptions options, Buffer body) {
    return open(client, options, body, response -> response.body()
        .map(read -> new Answer(response.statusCode(), response.headers(), read)));
  }

  /**
   * Sends {@code body} (none when null) and hands the answer to {@code reader} as soon as its head arrives, in the
   * same turn of the event loop, so the handlers {@code reader} sets miss nothing of the body.
   */
  public static <T> Future<T> open(HttpClient client, RequestOptions options, Buffer body,
                                   Function<HttpClientResponse, Future<T>> reader) {
    return client.request(options).compose(request ->
        (body == null ? request.send() : request.send(body)).compose(reader));
  }
}
