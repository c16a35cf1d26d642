package io.gameevents.sdk.example;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SendEventsTest {

  @Test
  void sendsOneInstallAndOnePurchaseAndPrintsTheAnswers(Vertx vertx) throws Exception {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject event = body.toJsonObject().put("path", request.path())
          .put("authorization", request.getHeader("Authorization"));
      received.add(event);
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("status", "accepted").put("event_id", event.getString("event_id")).encode());
    })).listen(0, "127.0.0.1").await(60, SECONDS);

    Output output = capture(() -> SendEvents.run("http://127.0.0.1:" + server.actualPort(), "dev-secret"));
    server.close().await(60, SECONDS);

    assertThat(output.exitCode()).isZero();
    assertThat(received).extracting(e -> e.getString("path"))
        .containsExactly("/v1/events/install", "/v1/events/purchase");
    assertThat(received).extracting(e -> e.getString("authorization")).containsOnly("Bearer dev-secret");
    assertThat(received.get(1).getString("product_id")).isEqualTo("gems_pack_01");
    assertThat(received).extracting(e -> e.getJsonObject("context").getString("app_version")).containsOnly("1.0.0");
    assertThat(received).extracting(e -> e.getJsonObject("context").getJsonObject("sdk").getString("name"))
        .containsOnly("game-events-java");
    assertThat(output.stdout()).isEqualTo(
        "Install response: 200 {\"status\":\"accepted\",\"event_id\":\"" + received.get(0).getString("event_id")
            + "\"}\n"
            + "Purchase response: 200 {\"status\":\"accepted\",\"event_id\":\""
            + received.get(1).getString("event_id") + "\"}\n");
  }

  @Test
  void exitsNonZeroWhenTheServerRefuses(Vertx vertx) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(401)
        .putHeader("Content-Type", "application/problem+json")
        .end("{\"title\":\"Missing or invalid credential\",\"status\":401}")).listen(0, "127.0.0.1").await(60, SECONDS);

    Output output = capture(() -> SendEvents.run("http://127.0.0.1:" + server.actualPort(), "wrong"));
    server.close().await(60, SECONDS);

    assertThat(output.exitCode()).isEqualTo(1);
    assertThat(output.stdout()).startsWith("Install response: 401 {\"title\":\"Missing or invalid credential\"");
  }

  private record Output(int exitCode, String stdout) {
  }

  private interface Run {
    int run();
  }

  private static synchronized Output capture(Run run) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int exitCode = run.run();
      return new Output(exitCode, bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    } finally {
      System.setOut(original);
    }
  }
}
