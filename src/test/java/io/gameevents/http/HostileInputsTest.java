package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.http.HostileCorpus.Case;
import io.gameevents.http.HostileCorpus.Expect;
import io.gameevents.support.Jwts;
import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile corpus ({@link HostileCorpus}, 300+ requests) sent raw to a running service, one
 * connection each: no 5xx, every 4xx a problem document with a detail, no connection left without
 * an answer, nothing stored but the events a case allows (and those exactly as sent), and the
 * service healthy afterwards.
 */
class HostileInputsTest extends ServiceTestBase {

  private static final KeyPair JWT_KEY = Jwts.rsaKeyPair();

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("body_timeout_ms", 1000);
    config.getJsonObject("auth").put("jwt", new JsonObject().put("algorithm", "RS256")
        .put("public_key_pem", Jwts.pem(JWT_KEY.getPublic())).put("audience", Jwts.AUDIENCE));
    return config;
  }

  @Test
  void hostileRequestsGetProblemsNeverA5xxAndStoreNothingInvalid() throws Exception {
    List<Case> corpus = HostileCorpus.all(JWT_KEY);
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, JsonObject> stored = new HashMap<>();
    List<String> failures = new ArrayList<>();
    List<String> acceptedToday = new ArrayList<>();
    for (Case c : corpus) {
      RawHttp.Response response;
      try {
        response = send(c);
      } catch (java.io.EOFException e) {
        if (c.expect() != Expect.CLOSED_BY_VERTX) {
          failures.add(c + ": closed without an answer");
        }
        continue;
      } catch (Exception e) {
        failures.add(c + ": no answer (" + e + ")");
        continue;
      }
      statuses.merge(response.status(), 1, Integer::sum);
      String problem = check(c, response);
      if (problem != null) {
        failures.add(c + ": " + problem + " -> " + response.statusLine() + " " + response.text());
      } else if (response.status() == 200 && c.eventId() != null) {
        stored.put(c.eventId(), c.event());
        if (c.expect() == Expect.REFUSED_OR_STORED_FAITHFULLY) {
          acceptedToday.add(c.name());
        }
      }
    }
    System.out.printf("HOSTILE %d requests, statuses %s, %d stored; odd but accepted: %s%n", corpus.size(), statuses,
        stored.size(), acceptedToday);
    assertThat(failures).isEmpty();

    Map<String, JsonObject> records = new HashMap<>();
    for (JsonObject record : service.sinkRecords()) {
      assertThat(records.put(record.getString("event_id"), record)).as("stored once").isNull();
    }
    assertThat(records.keySet()).as("only what a case allowed").isEqualTo(stored.keySet());
    stored.forEach((id, sent) -> {
      JsonObject record = records.get(id);
      assertThat(record.getJsonObject("raw_payload")).as("%s as sent", id).isEqualTo(sent);
      assertThat(record.getString("player_id")).isEqualTo(sent.getString("player_id"));
      assertThat(record.getValue("properties")).isEqualTo(sent.getValue("properties"));
    });

    assertThat(service.probe("/ready").send().await(60, SECONDS).statusCode()).isEqualTo(200);
    JsonObject after = TestService.install(TestService.newId());
    assertThat(service.postJson(HostileCorpus.INSTALL, after).await(60, SECONDS).statusCode()).isEqualTo(200);
  }

  /** What is wrong with {@code response} to {@code c}, or null. */
  private static String check(Case c, RawHttp.Response response) {
    int status = response.status();
    if (c.expect() == Expect.CLOSED_BY_VERTX) {
      return "answered: the corpus can expect an answer now";
    }
    if (status >= 500) {
      return "a 5xx";
    }
    if (status == 200 && response.json().getInteger("accepted", 0) == 0 && response.json().getInteger("duplicates", 0)
        == 0 && response.json().getInteger("rejected", 0) > 0) {
      return null; // a batch whose every event was rejected, each with its errors: nothing stored
    }
    if (status == 200) {
      return c.expect() == Expect.REFUSED ? "accepted" : null;
    }
    if (c.expect() == Expect.STORED) {
      return "refused";
    }
    if (status < 400) {
      return "neither stored nor refused";
    }
    if (!Problem.CONTENT_TYPE.equals(response.header("content-type"))) {
      return "not a problem document";
    }
    if (c.head()) {
      return null; // a HEAD answer has no body
    }
    JsonObject problem = response.json();
    if (problem.getInteger("status") != status || problem.getString("detail") == null
        || problem.getString("detail").isBlank()) {
      return "a problem without its status or detail";
    }
    return null;
  }

  private RawHttp.Response send(Case c) throws Exception {
    try (RawHttp client = RawHttp.connect(service.port)) {
      // written off the test thread: a server that stopped reading must not hang the test
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          client.write(c.request());
        } catch (IOException e) {
          throw new UncheckedIOException(e); // refused and closed while writing: the answer is still read
        }
      });
      RawHttp.Response response = c.head() ? client.readHead() : client.read();
      written.handle((done, failed) -> null).get(20, TimeUnit.SECONDS);
      return response;
    }
  }
}
