package io.gameevents.http;

import io.gameevents.support.Exchange;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gameevents.support.TestService.KEY;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request the node accepts gets an answer, or its connection is closed, within the client's timeout: on a
 * node that is starting (its listeners open while the stages are still deploying) and on a running one, over
 * short-lived connections and over keep-alive ones, on every kind of route (probes, documents, refusals, events).
 * A request neither answered nor closed in time is a bug; it is reported with its URI instead of stalling the build.
 */
@ExtendWith(VertxExtension.class)
class EveryRequestAnsweredTest {

  private static final long REQUEST_TIMEOUT_MS = 10_000;
  private static final List<String> GETS = List.of("/health", "/ready", "/health/sink", "/schemas/install.v1.json",
      "/schemas/..%2Fsecret.json", "/openapi.yaml", "/metrics", "/docs/", "/no/such/path", "/v1/events/install");

  private Vertx clientVertx;
  private TestService service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.stop().await(30, TimeUnit.SECONDS);
    }
    if (clientVertx != null) {
      clientVertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStartingNodeAnswersOrClosesEveryRequest(Vertx vertx) throws Exception {
    clientVertx = Vertx.vertx();
    int[] port = new int[1];
    Future<TestService> starting = TestService.start(vertx, config -> {
      port[0] = config.getJsonObject("http").getInteger("port");
      return config;
    });
    Tally tally = new Tally();
    HttpClient shortLived = client(false);
    // from before the listener opens until it has answered 200 events more: refused connections are fine,
    // an accepted request left without an answer is not
    Future<Void> fired = fire(shortLived, port[0], tally, () -> starting.isComplete() && tally.answered.get() > 200);
    service = starting.await(60, TimeUnit.SECONDS);
    fired.await(60, TimeUnit.SECONDS);

    assertThat(tally.timedOut).as("requests accepted by a starting node and never answered").isEmpty();
    assertThat(tally.answered.get()).isGreaterThan(200);
  }

  @Test
  void aRunningNodeAnswersEveryRequestOnShortAndKeptAliveConnections(Vertx vertx) throws Exception {
    clientVertx = Vertx.vertx();
    service = TestService.start(vertx, config -> config).await(60, TimeUnit.SECONDS);
    Tally tally = new Tally();
    AtomicInteger sent = new AtomicInteger();

    fire(client(false), service.port, tally, () -> sent.incrementAndGet() > 1_000).await(120, TimeUnit.SECONDS);
    AtomicInteger kept = new AtomicInteger();
    fire(client(true), service.port, tally, () -> kept.incrementAndGet() > 2_000).await(120, TimeUnit.SECONDS);

    assertThat(tally.timedOut).as("requests never answered").isEmpty();
    assertThat(tally.failed).as("requests whose connection failed on a running node").isEmpty();
    assertThat(tally.statuses.keySet()).contains(200, 400, 404, 405);
  }

  /**
   * The way SchemaFilesTest stalled CI: GETs one at a time from the test's own thread (outside Vert.x), each on
   * whichever pooled connection is free. The server answered every one; a client that asked for the body one step
   * after the head could lose it (see Exchange). Each of these must come back whole within its timeout.
   */
  @Test
  void requestsSentOneAtATimeFromOutsideVertxAreAllAnswered(Vertx vertx) throws Exception {
    clientVertx = Vertx.vertx();
    service = TestService.start(vertx, config -> config).await(60, TimeUnit.SECONDS);
    HttpClient client = client(true);
    List<String> unanswered = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      String uri = GETS.get(i % GETS.size());
      RequestOptions options = new RequestOptions().setPort(service.port).setHost("127.0.0.1").setURI(uri)
          .setTimeout(REQUEST_TIMEOUT_MS);
      try {
        Exchange.send(client, options, null).timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        unanswered.add("GET " + uri + " (request " + i + "): " + e);
        if (unanswered.size() >= 3) {
          break; // each costs the whole timeout: three are proof enough
        }
      }
    }

    assertThat(unanswered).as("requests sent one at a time and never read back").isEmpty();
  }

  /** Who got what: an answer's status, a connection closed or refused, or no answer at all within the timeout. */
  private static final class Tally {
    final AtomicInteger answered = new AtomicInteger();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> timedOut = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();

    void answer(int status) {
      answered.incrementAndGet();
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }
  }

  private HttpClient client(boolean keepAlive) {
    return clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(keepAlive).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(16));
  }

  /** Sixteen requests at a time, round the routes, until {@code enough} says so. */
  private static Future<Void> fire(HttpClient client, int port, Tally tally, java.util.function.BooleanSupplier enough) {
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(16);
    AtomicInteger next = new AtomicInteger();
    for (int i = 0; i < 16; i++) {
      loop(client, port, tally, enough, next, running, done);
    }
    return done.future();
  }

  private static void loop(HttpClient client, int port, Tally tally, java.util.function.BooleanSupplier enough,
                           AtomicInteger next, AtomicInteger running, Promise<Void> done) {
    if (enough.getAsBoolean()) {
      if (running.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    int n = next.getAndIncrement();
    boolean post = n % (GETS.size() + 2) >= GETS.size();
    String uri = post ? "/v1/events/install" : GETS.get(n % (GETS.size() + 2));
    RequestOptions options = new RequestOptions().setPort(port).setHost("127.0.0.1").setURI(uri)
        .setMethod(post ? HttpMethod.POST : HttpMethod.GET).setTimeout(REQUEST_TIMEOUT_MS);
    Buffer body = Buffer.buffer();
    if (post) {
      options.addHeader("Content-Type", "application/json").addHeader("Authorization", "Bearer " + KEY);
      body = n % 2 == 0 ? install(newId()).toBuffer() : Buffer.buffer("{not json");
    }
    Buffer sent = body;
    Exchange.send(client, options, sent).map(Exchange.Answer::status)
        // the request's timeout ends once the answer's head arrives: a body that never ends is bounded here
        .timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          if (result.succeeded()) {
            tally.answer(result.result());
          } else if (result.cause() instanceof TimeoutException
              || result.cause().getClass().getSimpleName().contains("Timeout")) {
            tally.timedOut.add(options.getMethod() + " " + uri + ": " + result.cause());
          } else {
            tally.failed.add(options.getMethod() + " " + uri + ": " + result.cause());
          }
          loop(client, port, tally, enough, next, running, done);
        });
  }
}
