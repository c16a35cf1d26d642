package io.gameevents.http;

import io.gameevents.delivery.Sinks;
import io.gameevents.support.CapturedLog;
import io.gameevents.support.RawHttp;
import io.gameevents.support.SseStream;
import io.gameevents.support.TestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.gameevents.support.TestService.ADMIN_TOKEN;
import static io.gameevents.support.TestService.KEY;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * http.proxy_protocol over raw sockets: the PROXY v1 or v2 header's source is the client everywhere an address
 * counts (access log, debugger, request slots per address); a connection without one gets nothing on the public
 * port, while the probes answer on the management port without one.
 */
@ExtendWith(VertxExtension.class)
class ProxyProtocolTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private TestService service;
  private int managementPort;
  private CapturedLog log;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    managementPort = TestService.freePort();
    service = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("proxy_protocol", true).put("management_port", managementPort)
          .put("max_requests_per_address", 1);
      return c;
    }, Sinks.FROM_CONFIG, new SimpleMeterRegistry()).await(30, TimeUnit.SECONDS);
    log = CapturedLog.access();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    service.stop().await(30, TimeUnit.SECONDS);
  }

  @Test
  void theSourceOfAProxyV1HeaderIsTheClientInTheAccessLogAndTheDebugger(Vertx vertx) throws Exception {
    try (SseStream debugger = SseStream.open(vertx, managementPort, "/debugger/events", ADMIN_TOKEN)
        .await(10, TimeUnit.SECONDS)) {
      RawHttp.Response answer = send(v1("203.0.113.7", 40001), install(newId()));

      assertThat(answer.status()).isEqualTo(200);
      assertClient(answer, "203.0.113.7");
      await().atMost(WAIT).until(() -> !debugger.entries().isEmpty());
      assertThat(debugger.entries().get(0).getString("client")).isEqualTo("203.0.113.7");
    }
  }

  @Test
  void theSourceOfAProxyV2HeaderIsTheClientForIpv4AndIpv6() throws Exception {
    RawHttp.Response ipv4 = send(v2("198.51.100.23", 40002), install(newId()));
    RawHttp.Response ipv6 = send(v2("2001:db8:1:2::beef", 40003), install(newId()));

    assertThat(ipv4.status()).isEqualTo(200);
    assertClient(ipv4, "198.51.100.23");
    assertThat(ipv6.status()).isEqualTo(200);
    assertClient(ipv6, "2001:db8:1:2::beef");
  }

  @Test
  void theRequestSlotsPerAddressCountTheProxySourceNotTheBalancer() throws Exception {
    // every connection comes from 127.0.0.1; one PROXY source holds its only slot with a body still to come
    try (HeldSlot.Held held = HeldSlot.hold("203.0.113.", address -> RawHttp.connect(service.port)
        .write(RawHttp.concat(v1(address, 40010), RawHttp.head("POST /v1/events/install HTTP/1.1",
            "Host: 127.0.0.1", "Authorization: Bearer " + KEY, "Content-Type: application/json",
            "Content-Length: 500"))),
        address -> send(v1(address, 40011), install(newId())).status())) {

      RawHttp.Response sameAddress = send(v2(held.address(), 40012), install(newId()));
      RawHttp.Response otherAddress = send(v1("198.51.100.1", 40013), install(newId()));

      assertThat(sameAddress.status()).isEqualTo(429);
      assertThat(sameAddress.json().getString("type")).endsWith("too-many-concurrent-requests");
      assertThat(otherAddress.status()).isEqualTo(200);
    }
  }

  @Test
  void withoutAProxyHeaderThePublicPortAnswersNothingAndTheProbesAnswerOnTheManagementPort(Vertx vertx)
      throws Exception {
    try (RawHttp plain = RawHttp.connect(service.port)) {
      plain.write(RawHttp.head("GET /health HTTP/1.1", "Host: 127.0.0.1"));
      assertThatThrownBy(plain::read).isInstanceOf(IOException.class);
    }
    WebClient management = WebClient.create(vertx);
    try {
      for (String probe : new String[] {"/health", "/ready"}) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(management.get(managementPort, "127.0.0.1", probe)
            .timeout(5000).send().await(10, TimeUnit.SECONDS).statusCode()).as(probe).isEqualTo(200));
      }
    } finally {
      management.close();
    }
  }

  private void assertClient(RawHttp.Response answer, String client) {
    String requestId = answer.header("X-Request-Id");
    await().atMost(WAIT).until(() -> log.request(requestId) != null);
    assertThat(log.request(requestId).getString("client")).isEqualTo(client);
  }

  private RawHttp.Response send(byte[] proxyHeader, JsonObject event) throws IOException {
    try (RawHttp connection = RawHttp.connect(service.port)) {
      return connection.write(RawHttp.concat(proxyHeader, RawHttp.post("/v1/events/install",
          event.toBuffer().getBytes(), "Authorization: Bearer " + KEY, "Content-Type: application/json"))).read();
    }
  }

  /** A PROXY protocol v1 line: the text HAProxy sends. */
  private byte[] v1(String source, int sourcePort) {
    return ("PROXY TCP4 " + source + " 127.0.0.1 " + sourcePort + " " + service.port + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A PROXY protocol v2 header (binary, as an AWS NLB sends it): PROXY command, TCP over IPv4 or IPv6. */
  private byte[] v2(String source, int sourcePort) throws IOException {
    byte[] from = InetAddress.getByName(source).getAddress(); // a literal: nothing is looked up
    byte[] to = from.length == 4 ? new byte[] {127, 0, 0, 1} : InetAddress.getByName("::1").getAddress();
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.write(0x21); // version 2, PROXY
    header.write(from.length == 4 ? 0x11 : 0x21); // TCP over IPv4 / IPv6
    ByteBuffer addresses = ByteBuffer.allocate(from.length * 2 + 4);
    addresses.put(from).put(to).putShort((short) sourcePort).putShort((short) service.port);
    header.write(ByteBuffer.allocate(2).putShort((short) addresses.capacity()).array());
    header.write(addresses.array());
    return header.toByteArray();
  }
}
