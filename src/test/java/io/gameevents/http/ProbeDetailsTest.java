package io.gameevents.http;

import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probes on the public port tell anyone the status alone; node ids, stages, data paths and sink errors are
 * for the management port and for a request carrying an admin token.
 */
@ExtendWith(VertxExtension.class)
class ProbeDetailsTest {

  private TestService service;
  private WebClient management;
  private int managementPort;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    managementPort = TestService.freePort();
    service = TestService.start(vertx, c -> {
      c.getJsonObject("http").put("management_port", managementPort);
      return c;
    }).await(30, TimeUnit.SECONDS);
    management = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(managementPort).setConnectTimeout(5000).setIdleTimeout(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> get(service.client.get("/ready")).statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    management.close();
    service.stop().await(30, TimeUnit.SECONDS);
  }

  @Test
  void publicReadyIsTheStatusAlone() throws Exception {
    HttpResponse<Buffer> ready = get(service.client.get("/ready"));

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ready"));
    assertThat(ready.bodyAsString()).doesNotContain(service.dataDir.toString());
  }

  @Test
  void aGameKeyOrAWrongTokenSeesTheStatusAlone() throws Exception {
    for (String token : new String[] {TestService.KEY, "not-an-admin-token"}) {
      HttpResponse<Buffer> ready = get(service.client.get("/ready").putHeader("Authorization", "Bearer " + token));

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ready"));
    }
  }

  @Test
  void publicSinkHealthIsTheStatusAlone() throws Exception {
    HttpResponse<Buffer> sink = get(service.client.get("/health/sink"));

    assertThat(sink.statusCode()).isEqualTo(200);
    assertThat(sink.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "ok"));
  }

  @Test
  void theManagementPortShowsTheDetails() throws Exception {
    JsonObject ready = get(management.get("/ready")).bodyAsJsonObject();
    JsonObject sink = get(management.get("/health/sink")).bodyAsJsonObject();

    assertDetails(ready, sink);
  }

  @Test
  void anAdminTokenShowsTheDetailsOnThePublicPort() throws Exception {
    JsonObject ready = get(service.probe("/ready")).bodyAsJsonObject();
    JsonObject sink = get(service.probe("/health/sink")).bodyAsJsonObject();

    assertDetails(ready, sink);
  }

  private static void assertDetails(JsonObject ready, JsonObject sink) {
    assertThat(ready.getString("status")).isEqualTo("ready");
    String node = ready.getString("node");
    assertThat(node).isNotBlank();
    assertThat(ready.getJsonObject("stages").getJsonObject("delivery").fieldNames()).containsExactly(node);
    assertThat(ready.getJsonObject("stages").getJsonObject("dedup").getInteger("partitions")).isPositive();
    assertThat(sink.getString("status")).isEqualTo("ok");
    assertThat(sink.getJsonObject("nodes").fieldNames()).containsExactly(node);
  }

  private static HttpResponse<Buffer> get(io.vertx.ext.web.client.HttpRequest<Buffer> request) throws Exception {
    return request.timeout(10_000).send().await(10, TimeUnit.SECONDS);
  }
}
