package io.gameevents.sdk.e2e;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy in front of the real server that injects one scripted fault per request, then forwards
 * faithfully. It records what passed through (path and Content-Encoding).
 */
final class FaultProxy {

  enum Fault {
    /** Answer 503 + Retry-After: 1 without forwarding: nothing is stored. */
    UNAVAILABLE_503,
    /** Answer 429 + Retry-After: 1 without forwarding. */
    TOO_MANY_429,
    /** Forward, let the server store the event, then close the connection instead of answering. */
    DROP_AFTER_FORWARD
  }

  record Passed(String path, String contentEncoding, int answeredStatus) {
  }

  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<Passed> passed = new CopyOnWriteArrayList<>();
  private final int upstreamPort;
  private final HttpClient upstream;
  private HttpServer server;

  private FaultProxy(Vertx vertx, int upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.upstream = vertx.createHttpClient();
  }

  static FaultProxy start(Vertx vertx, int upstreamPort) throws Exception {
    FaultProxy proxy = new FaultProxy(vertx, upstreamPort);
    proxy.server = vertx.createHttpServer().requestHandler(proxy::handle).listen(0, "127.0.0.1").await(60, SECONDS);
    return proxy;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  FaultProxy inject(Fault fault) {
    faults.add(fault);
    return this;
  }

  /** The requests that reached the proxy, with what each was answered (0 for a dropped connection). */
  List<Passed> passed() {
    return List.copyOf(passed);
  }

  void close() throws Exception {
    server.close().await(60, SECONDS);
    upstream.close().await(60, SECONDS);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Fault fault = faults.poll();
      String encoding = request.getHeader("Content-Encoding");
      if (fault == Fault.UNAVAILABLE_503 || fault == Fault.TOO_MANY_429) {
        int status = fault == Fault.UNAVAILABLE_503 ? 503 : 429;
        passed.add(new Passed(request.path(), encoding, status));
        request.response().setStatusCode(status).putHeader("Retry-After", "1")
            .putHeader("Content-Type", "application/problem+json")
            .end("{\"type\":\"about:blank\",\"title\":\"injected\",\"status\":" + status + "}");
        return;
      }
      forward(request, body).onComplete(done -> {
        if (done.failed()) {
          passed.add(new Passed(request.path(), encoding, 502));
          request.response().setStatusCode(502).end();
        } else if (fault == Fault.DROP_AFTER_FORWARD) {
          passed.add(new Passed(request.path(), encoding, 0));
          request.connection().close();
        } else {
          Answer answer = done.result();
          passed.add(new Passed(request.path(), encoding, answer.response().statusCode()));
          request.response().setStatusCode(answer.response().statusCode());
          answer.response().headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
              request.response().putHeader(name, value);
            }
          });
          request.response().end(answer.body());
        }
      });
    });
  }

  private record Answer(HttpClientResponse response, Buffer body) {
  }

  private Future<Answer> forward(HttpServerRequest request, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
        .setPort(upstreamPort).setURI(request.uri());
    request.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        options.addHeader(name, value);
      }
    });
    // the body is asked for in the turn the answer's head arrives: one step later it may already be gone
    // (Vert.x 5.0.7, eclipse-vertx/vert.x#6038)
    return upstream.request(options)
        .compose(outgoing -> outgoing.send(body)
            .compose(response -> response.body().map(responseBody -> new Answer(response, responseBody))));
  }
}
