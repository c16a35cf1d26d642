package io.gameevents.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 idle connections and 600 clients trickling a body a byte at a time with a valid key (keys
 * ship inside game clients) leave normal requests served: one address gets at most
 * {@code http.max_requests_per_address} slots (429 beyond), and {@code http.body_timeout_ms} cuts
 * a trickler off (408, closed) however often its bytes reset the idle timeout.
 */
class SlowClientsTest extends ServiceTestBase {

  private static final int IDLE = 2_000;
  private static final int TRICKLERS = 600;
  private static final int PER_ADDRESS = 64;
  private static final long BODY_TIMEOUT_MS = 5_000;
  private static final int SLOTS = 2 * 256; // http.instances x http.max_requests_in_flight

  private final List<Socket> idle = new ArrayList<>();
  private final List<RawHttp> tricklers = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("body_timeout_ms", BODY_TIMEOUT_MS).put("max_requests_per_address", PER_ADDRESS);
    return config;
  }

  @AfterEach
  void closeClients() throws IOException {
    trickle.shutdownNow();
    tricklers.forEach(RawHttp::close);
    for (Socket socket : idle) {
      socket.close();
    }
  }

  @Test
  void idleAndTricklingClientsLeaveNormalRequestsServed() throws Exception {
    for (int i = 0; i < IDLE; i++) {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress("127.0.0.3", 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), service.port));
      idle.add(socket);
    }

    // one host trickling: it gets its share of slots, the rest of its requests 429 at once
    // (all 600 are admitted or refused well within the deadline, so no slot of theirs is freed meanwhile)
    startTricklers(i -> "127.0.0.2");
    assertNormalRequestsServed();
    Map<Integer, Integer> statuses = answersOfTricklers();
    assertThat(statuses).containsOnlyKeys(408, 429)
        .containsEntry(408, PER_ADDRESS).containsEntry(429, TRICKLERS - PER_ADDRESS);

    // many hosts trickling, each within its share: together they fill every slot (503 beyond)
    // until the body deadline cuts them off, and then normal requests are served again
    tricklers.forEach(RawHttp::close);
    tricklers.clear();
    startTricklers(i -> "127.0.1." + (1 + i % 10));
    statuses = answersOfTricklers();
    assertThat(statuses).containsOnlyKeys(408, 503);
    assertThat(statuses.get(408)).as("every slot held by a trickler, until the deadline").isEqualTo(SLOTS);
    assertNormalRequestsServed();
  }

  /** 600 clients send a valid key and a 1,000-byte Content-Length, then a byte every 100 ms. */
  private void startTricklers(java.util.function.IntFunction<String> address) throws IOException {
    byte[] head = RawHttp.head("POST /v1/events/install HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
        "Authorization: Bearer " + TestService.KEY, "Content-Length: 1000");
    for (int i = 0; i < TRICKLERS; i++) {
      tricklers.add(RawHttp.connectFrom(address.apply(i), service.port).write(head));
    }
    List<RawHttp> these = List.copyOf(tricklers);
    trickle.scheduleAtFixedRate(() -> these.forEach(trickler -> {
      try {
        trickler.write(new byte[] {' '});
      } catch (IOException e) {
        // answered and closed: nothing left to trickle to
      }
    }), 0, 100, TimeUnit.MILLISECONDS);
  }

  /** Each trickler's answer, then the end of its connection: every one is answered and closed. */
  private Map<Integer, Integer> answersOfTricklers() throws IOException {
    Map<Integer, Integer> statuses = new HashMap<>();
    for (RawHttp trickler : tricklers) {
      RawHttp.Response response = trickler.read();
      assertThat(response.header("content-type")).isEqualTo(Problem.CONTENT_TYPE);
      assertThat(response.json().getString("detail")).isNotBlank();
      assertThat(trickler.atEndOfStream()).as("closed after a %d", response.status()).isTrue();
      statuses.merge(response.status(), 1, Integer::sum);
    }
    return statuses;
  }

  private void assertNormalRequestsServed() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = newId();
      assertThat(service.postJson("/v1/events/install", install(id)).await(60, SECONDS).statusCode()).isEqualTo(200);
      ids.add(id);
    }
    assertThat(service.sinkRecords()).extracting(r -> r.getString("event_id")).containsAll(ids);
  }
}
