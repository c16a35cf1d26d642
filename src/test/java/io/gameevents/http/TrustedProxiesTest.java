package io.gameevents.http;

import io.gameevents.support.CapturedLog;
import io.gameevents.support.RawHttp;
import io.gameevents.support.ServiceTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.gameevents.support.TestService.KEY;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * X-Forwarded-For over real sockets: believed from a peer in http.trusted_proxies (127.0.0.2 here), ignored
 * from any other (127.0.0.1), and the address it gives is the one the request slots per address count.
 */
class TrustedProxiesTest extends ServiceTestBase {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String PROXY = "127.0.0.2";

  private CapturedLog log;

  @Override
  protected JsonObject configure(JsonObject config) {
    config.getJsonObject("http").put("trusted_proxies", new JsonArray().add(PROXY).add("10.0.0.0/8"))
        .put("max_requests_per_address", 1);
    return config;
  }

  @BeforeEach
  void capture() {
    log = CapturedLog.access();
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void fromATrustedPeerTheLastUntrustedHopIsTheClientAndFromAnyOtherTheHeaderIsIgnored() throws Exception {
    RawHttp.Response trusted = send(PROXY, "X-Forwarded-For: 192.0.2.1, 203.0.113.77, 10.1.2.3");
    RawHttp.Response untrusted = send("127.0.0.1", "X-Forwarded-For: 203.0.113.77");
    RawHttp.Response ipv6 = send(PROXY, "X-Forwarded-For: 2001:db8:aa::1");
    RawHttp.Response malformed = send(PROXY, "X-Forwarded-For: 203.0.113.77, not-an-address");

    assertThat(client(trusted)).isEqualTo("203.0.113.77");
    assertThat(client(untrusted)).isEqualTo("127.0.0.1");
    assertThat(client(ipv6)).isEqualTo("2001:db8:aa::1");
    assertThat(client(malformed)).as("a malformed hop: the peer").isEqualTo(PROXY);
  }

  @Test
  void theRequestSlotsPerAddressCountTheForwardedClientNotTheProxy() throws Exception {
    try (HeldSlot.Held held = HeldSlot.hold("203.0.113.", address -> RawHttp.connectFrom(PROXY, service.port)
        .write(RawHttp.head("POST /v1/events/install HTTP/1.1", "Host: 127.0.0.1", "X-Forwarded-For: " + address,
            "Authorization: Bearer " + KEY, "Content-Type: application/json", "Content-Length: 500")),
        address -> send(PROXY, "X-Forwarded-For: " + address).status())) {

      RawHttp.Response sameAddress = send(PROXY, "X-Forwarded-For: 192.0.2.1, " + held.address());
      RawHttp.Response otherPlayer = send(PROXY, "X-Forwarded-For: 198.51.100.1");
      RawHttp.Response sameAddressNotProxied = send("127.0.0.1", "X-Forwarded-For: " + held.address());

      assertThat(sameAddress.status()).isEqualTo(429);
      assertThat(sameAddress.json().getString("detail")).startsWith("this client address has 1 requests in progress");
      assertThat(otherPlayer.status()).isEqualTo(200);
      assertThat(sameAddressNotProxied.status()).isEqualTo(200);
    }
  }

  private String client(RawHttp.Response answer) {
    assertThat(answer.status()).isEqualTo(200);
    String requestId = answer.header("X-Request-Id");
    await().atMost(WAIT).until(() -> log.request(requestId) != null);
    return log.request(requestId).getString("client");
  }

  private RawHttp.Response send(String from, String header) throws IOException {
    try (RawHttp connection = RawHttp.connectFrom(from, service.port)) {
      return connection.write(RawHttp.post("/v1/events/install", install(newId()).toBuffer().getBytes(),
          "Authorization: Bearer " + KEY, "Content-Type: application/json", header)).read();
    }
  }
}
