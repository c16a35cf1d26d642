package io.gameevents.sdk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static io.gameevents.sdk.ClientTestSupport.await;
import static io.gameevents.sdk.ClientTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client makes of the status values in a 2xx answer (single event and batch result), the suppressed
 * answer, and a refused event's {@code kept}.
 */
@ExtendWith(VertxExtension.class)
class AnswerStatusTest {

  private ScriptedServer server;
  private GameEventClient client;
  private CapturedLog dispatcherLog;
  private CapturedLog unknownLog;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = ScriptedServer.start(vertx);
    client = new GameEventClient(vertx, fastConfig(server.baseUrl()));
    dispatcherLog = CapturedLog.of(BatchDispatcher.class);
    unknownLog = CapturedLog.of(UnknownStatuses.class);
  }

  @AfterEach
  void stop() throws Exception {
    await(client.closeAsync());
    server.close();
    dispatcherLog.close();
    unknownLog.close();
  }

  private static InstallEvent install() {
    return InstallEvent.create("player_1", "com.game.test", "ios");
  }

  private List<String> trackInstalls(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InstallEvent event = install();
      assertThat(client.track(event)).isTrue();
      ids.add(event.eventId());
    }
    return ids;
  }

  /** Answers the next batch 200 with the result entry {@code resultOf(index, event_id)} for each event. */
  private void scriptBatchResults(BiFunction<Integer, String, JsonObject> resultOf) {
    server.then(request -> {
      JsonArray results = new JsonArray();
      List<JsonObject> events = request.events();
      for (int i = 0; i < events.size(); i++) {
        results.add(resultOf.apply(i, events.get(i).getString("event_id")).put("index", i)
            .put("event_id", events.get(i).getString("event_id")));
      }
      return new ScriptedServer.Reply(200, Map.of(), new JsonObject().put("results", results).encode());
    });
  }

  private void scriptSingle(JsonObject body) {
    server.then(request -> new ScriptedServer.Reply(200, Map.of(),
        body.copy().put("event_id", request.json().getString("event_id")).encode()));
  }

  @Test
  void aBatchResultWithAStatusTheSdkDoesNotKnowIsFinalCountedAndLoggedOncePerValue() throws Exception {
    // a newer server's status values: neither may bring the event back into the queue
    scriptBatchResults((index, id) -> new JsonObject()
        .put("status", index == 0 ? "accepted" : index <= 3 ? "parked" : "held\nforged log line"));

    trackInstalls(5);
    await(client.flush());

    assertThat(server.requests()).hasSize(1);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 1, 0, 0, 0, 0, 0, 4, 0));
    assertThat(unknownLog.warnings()).hasSize(2);
    assertThat(unknownLog.warnings().get(0)).contains("\"parked\"").contains("final");
    // the server's value is shown with its control characters escaped
    assertThat(unknownLog.warnings().get(1)).contains("\"held\\u000aforged log line\"").doesNotContain("\n");

    scriptBatchResults((index, id) -> new JsonObject().put("status", "parked"));
    trackInstalls(1);
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(client.stats().unknownStatus()).isEqualTo(5);
    assertThat(unknownLog.warnings()).hasSize(2); // "parked" was warned about already
  }

  @Test
  void aBatchResultWhoseStatusIsNotEvenAStringIsFinalToo() throws Exception {
    scriptBatchResults((index, id) -> new JsonObject().put("status", 7).put("index", "zero"));

    trackInstalls(2);
    await(client.flush());

    assertThat(server.requests()).hasSize(1);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 0, 0, 0, 0, 0, 2, 0));
    assertThat(unknownLog.warnings()).singleElement().asString().contains("\"7\"");
  }

  @Test
  void unavailableInABatchResultIsStillSentAgain() throws Exception {
    scriptBatchResults((index, id) -> new JsonObject().put("status", index == 0 ? "unavailable" : "accepted"));

    List<String> ids = trackInstalls(2);
    await(client.flush());

    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).events()).extracting(e -> e.getString("event_id"))
        .containsExactly(ids.get(0));
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 2, 0, 0, 0, 0));
    assertThat(unknownLog.warnings()).isEmpty();
  }

  @Test
  void aSuppressedBatchResultIsCountedApartFromDuplicatesAndNotSentAgain() throws Exception {
    scriptBatchResults((index, id) -> switch (index) {
      case 0 -> new JsonObject().put("status", "duplicate").put("suppressed", true);
      case 1 -> new JsonObject().put("status", "duplicate").put("suppressed", false);
      default -> new JsonObject().put("status", "duplicate").put("suppressed", true);
    });

    trackInstalls(3);
    await(client.flush());

    assertThat(server.requests()).hasSize(1);
    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 1, 0, 0, 0, 2, 0, 0));
    assertThat(unknownLog.warnings()).isEmpty();
  }

  @Test
  void aRejectedBatchResultSaysInTheWarningWhetherTheServerKeptIt() throws Exception {
    JsonArray errors = new JsonArray().add(new JsonObject().put("pointer", "/currency")
        .put("message", "currency codes are upper case: USD"));
    scriptBatchResults((index, id) -> switch (index) {
      case 0 -> new JsonObject().put("status", "rejected").put("errors", errors).put("kept", true);
      case 1 -> new JsonObject().put("status", "rejected").put("errors", errors).put("kept", false);
      default -> new JsonObject().put("status", "rejected").put("errors", errors);
    });

    List<String> ids = trackInstalls(3);
    await(client.flush());

    assertThat(client.stats()).isEqualTo(new ClientStats(0, 0, 0, 3, 0, 0));
    assertThat(dispatcherLog.warnings()).containsExactly(
        "event " + ids.get(0) + " rejected, kept=true: " + errors.encode(),
        "event " + ids.get(1) + " rejected, kept=false: " + errors.encode(),
        "event " + ids.get(2) + " rejected: " + errors.encode());
  }

  @Test
  void aSingleEventAnsweredWithAStatusTheSdkDoesNotKnowIsFinalAndKeepsTheValue() throws Exception {
    scriptSingle(new JsonObject().put("status", "parked"));

    EventResponse response = await(client.send(install()));

    assertThat(response.status()).isEqualTo(EventStatus.UNKNOWN);
    assertThat(response.serverStatus()).isEqualTo("parked");
    assertThat(response.delivered()).isFalse();
    assertThat(response.httpStatus()).isEqualTo(200);
    assertThat(response.attempts()).isEqualTo(1);
    assertThat(server.requests()).hasSize(1);
    assertThat(unknownLog.warnings()).singleElement().asString()
        .contains("event " + response.eventId()).contains("\"parked\"");
  }

  @Test
  void aSingleEventAnsweredSuppressedIsSuppressedNotDuplicate() throws Exception {
    scriptSingle(new JsonObject().put("status", "duplicate").put("suppressed", true));
    scriptSingle(new JsonObject().put("status", "duplicate"));

    EventResponse suppressed = await(client.send(install()));
    EventResponse duplicate = await(client.send(install()));

    assertThat(suppressed.status()).isEqualTo(EventStatus.SUPPRESSED);
    assertThat(suppressed.delivered()).isFalse();
    assertThat(suppressed.serverStatus()).isEqualTo("duplicate");
    assertThat(suppressed.attempts()).isEqualTo(1);
    assertThat(duplicate.status()).isEqualTo(EventStatus.DUPLICATE);
    assertThat(duplicate.delivered()).isTrue();
    assertThat(server.requests()).hasSize(2);
    assertThat(unknownLog.warnings()).isEmpty();
  }

  @Test
  void aRefusedSingleEventTellsWhetherTheServerKeptIt() throws Exception {
    for (Object kept : new Object[] {true, false, "yes"}) {
      server.thenReply(400, new JsonObject().put("type", "urn:game-events:problem:invalid-event")
          .put("title", "Invalid event").put("status", 400).put("detail", "1 field is invalid").put("kept", kept)
          .put("errors", new JsonArray().add(new JsonObject().put("pointer", "/currency")
              .put("message", "currency codes are upper case: USD"))).encode(),
          "Content-Type", "application/problem+json");
    }
    server.thenProblem(400, "Bad Request"); // an older server: no kept at all

    List<EventResponse> responses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      responses.add(await(client.send(install())));
    }

    assertThat(responses).extracting(EventResponse::status).containsOnly(EventStatus.REJECTED);
    assertThat(responses).extracting(EventResponse::attempts).containsOnly(1);
    assertThat(responses).extracting(r -> r.problem().kept()).containsExactly(true, false, null, null);
    assertThat(responses).extracting(EventResponse::kept).containsExactly(true, false, null, null);
    assertThat(responses.get(0).fieldErrors())
        .containsExactly(new FieldError("/currency", "currency codes are upper case: USD"));
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void aProblemWithMembersOfTheWrongTypeIsStillReported() throws Exception {
    server.thenReply(400, new JsonObject().put("type", 5).put("title", new JsonObject()).put("status", "400")
        .put("detail", "kept as far as it reads").put("errors", "none").put("kept", 1).encode(),
        "Content-Type", "application/problem+json");

    EventResponse response = await(client.send(install()));

    assertThat(response.status()).isEqualTo(EventStatus.REJECTED);
    assertThat(response.problem()).isEqualTo(new Problem(null, null, 400, "kept as far as it reads", List.of(), null));
  }
}
