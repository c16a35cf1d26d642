package io.gameevents.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay command's client against a stand-in service: a 503's unavailable records are sent again, alone. */
@ExtendWith(VertxExtension.class)
class ReplayClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theRecordsA503LeftUnstoredAreSentAgainAfterItsRetryAfterAndTheStoredOnesAreNot(Vertx vertx) throws Exception {
    List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      bodies.add(body.toJsonObject());
      if (bodies.size() == 1) {
        request.response().setStatusCode(503).putHeader("Retry-After", "7")
            .putHeader("Content-Type", "application/problem+json")
            .end(new JsonObject().put("status", 503).put("results", new JsonArray()
                .add(new JsonObject().put("index", 0).put("status", "accepted"))
                .add(new JsonObject().put("index", 1).put("status", "unavailable"))).encode());
      } else {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("results", new JsonArray().add(new JsonObject().put("index", 0).put("status", "accepted"))).encode());
      }
    })).listen(0, "127.0.0.1").await(60, SECONDS);
    List<Long> pauses = new ArrayList<>();
    try {
      ReplayClient client = new ReplayClient("http://127.0.0.1:" + server.actualPort() + "/", "token", 5, pauses::add);

      List<ReplayClient.Answer> answers = client.send(List.of(record("a"), record("b")));

      assertThat(answers).extracting(ReplayClient.Answer::status).containsExactly("accepted", "accepted");
      assertThat(pauses).containsExactly(7L);
      assertThat(bodies).hasSize(2);
      assertThat(bodies.get(1).getJsonArray("records")).hasSize(1);
      assertThat(bodies.get(1).getJsonArray("records").getJsonObject(0).getString("event_id")).isEqualTo("b");
    } finally {
      server.close().await(60, SECONDS);
    }
  }

  @Test
  void aRefusalOfTheRequestItselfStopsTheReplay(Vertx vertx) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(401)
        .end(new JsonObject().put("status", 401).put("detail", "unknown admin token").encode()))
        .listen(0, "127.0.0.1").await(60, SECONDS);
    try {
      ReplayClient client = new ReplayClient("http://127.0.0.1:" + server.actualPort(), "token", 5, seconds -> { });

      assertThatThrownBy(() -> client.send(List.of(record("a")))).isInstanceOf(ReplayClient.Refused.class)
          .hasMessage("unknown admin token");
    } finally {
      server.close().await(60, SECONDS);
    }
  }

  private static ObjectNode record(String eventId) {
    return JSON.createObjectNode().put("refused_at", "2026-11-24T10:00:00Z").put("key_id", "dev")
        .put("event_id", eventId).put("payload", "{}");
  }
}
