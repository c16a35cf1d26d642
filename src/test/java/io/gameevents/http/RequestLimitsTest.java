package io.gameevents.http;

import io.gameevents.support.ServiceTestBase;
import io.gameevents.support.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static org.assertj.core.api.Assertions.assertThat;

/** Content negotiation, compression and size limits: each refusal is a 4xx problem and stores nothing. */
class RequestLimitsTest extends ServiceTestBase {

  @Test
  void gzipBodyIsAccepted(VertxTestContext ctx) {
    JsonObject event = install(newId());
    service.post("/v1/events/install").putHeader("Content-Encoding", "gzip")
        .sendBuffer(Buffer.buffer(gzip(event.toBuffer().getBytes())))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(service.sinkRecords()).singleElement()
              .satisfies(r -> assertThat(r.getJsonObject("raw_payload")).isEqualTo(event));
          ctx.completeNow();
        })));
  }

  @Test
  void gzipBombIs413(VertxTestContext ctx) {
    // 64 MiB of spaces compresses to ~64 KiB; the 1 MiB limit applies after decompression
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(1024 * 1024);
    expect(service.post("/v1/batch").putHeader("Content-Encoding", "gzip").sendBuffer(Buffer.buffer(bomb)), 413, ctx);
  }

  @Test
  void aBodyOfSeveralGzipMembersIsDecodedExactly(VertxTestContext ctx) {
    JsonObject first = install(newId());
    JsonObject second = install(newId());
    String batch = new JsonObject().put("events", new JsonArray().add(first).add(second)).encode();
    int cut = batch.indexOf(",{") + 1; // the second member starts with the second event
    byte[] body = Buffer.buffer(gzip(batch.substring(0, cut).getBytes(StandardCharsets.UTF_8)))
        .appendBytes(gzip(new byte[0]))
        .appendBytes(gzip(batch.substring(cut).getBytes(StandardCharsets.UTF_8))).getBytes();
    service.post("/v1/batch").putHeader("Content-Encoding", "gzip").sendBuffer(Buffer.buffer(body))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(service.sinkRecords()).extracting(r -> r.getJsonObject("raw_payload"))
              .containsExactlyInAnyOrder(first, second);
          ctx.completeNow();
        })));
  }

  @Test
  void aGzipMemberBombIs400SayingSo(VertxTestContext ctx) {
    // one event, then ~52,000 empty members up to 1 MiB on the wire: each member costs CPU, not output bytes
    Buffer bomb = Buffer.buffer(gzip(new JsonObject().put("events", new JsonArray().add(install(newId()))).toBuffer().getBytes()));
    byte[] empty = gzip(new byte[0]);
    while (bomb.length() + empty.length <= 1024 * 1024) {
      bomb.appendBytes(empty);
    }
    service.post("/v1/batch").putHeader("Content-Encoding", "gzip").sendBuffer(bomb)
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(400);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(response.bodyAsJsonObject().getString("detail"))
              .isEqualTo("the body is more than 1024 concatenated gzip streams (members); "
                  + "compress the whole body as one gzip stream");
          assertThat(service.sinkRecords()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void bodyOverTheLimitIs413(VertxTestContext ctx) {
    expect(service.post("/v1/batch").sendBuffer(Buffer.buffer(new byte[2 * 1024 * 1024])), 413, ctx);
  }

  @Test
  void tooManyEventsIs413(VertxTestContext ctx) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 501; i++) {
      events.add(install(newId()));
    }
    expect(service.postJson("/v1/batch", new JsonObject().put("events", events)), 413, ctx);
  }

  @Test
  void eventOverThePerEventLimitIs413(VertxTestContext ctx) {
    JsonObject event = install(newId()).put("properties", new JsonObject().put("blob", "x".repeat(40_000)));
    expect(service.postJson("/v1/events/install", event), 413, ctx);
  }

  @Test
  void missingContentTypeIs415(VertxTestContext ctx) {
    expect(service.client.post("/v1/events/install").putHeader("Authorization", "Bearer " + TestService.KEY)
        .sendBuffer(install(newId()).toBuffer()), 415, ctx);
  }

  @Test
  void nonJsonContentTypeIs415(VertxTestContext ctx) {
    expect(service.post("/v1/events/install").putHeader("Content-Type", "text/plain")
        .sendBuffer(install(newId()).toBuffer()), 415, ctx);
  }

  @Test
  void unsupportedContentEncodingIs415(VertxTestContext ctx) {
    expect(service.post("/v1/events/install").putHeader("Content-Encoding", "br")
        .sendBuffer(install(newId()).toBuffer()), 415, ctx);
  }

  @Test
  void corruptGzipIs400(VertxTestContext ctx) {
    expect(service.post("/v1/events/install").putHeader("Content-Encoding", "gzip")
        .sendBuffer(Buffer.buffer("this is not gzip at all")), 400, ctx);
  }

  @Test
  void expectContinueIsAnsweredOnceTheRequestIsAdmitted(VertxTestContext ctx) {
    JsonObject event = install(newId());
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + service.port + "/v1/events/install"))
        .expectContinue(true)
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestService.KEY)
        .timeout(java.time.Duration.ofSeconds(10))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event.encode())).build();
    client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, failure) -> ctx.verify(() -> {
          assertThat(failure).isNull();
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(service.sinkRecords()).hasSize(1);
          ctx.completeNow();
        }));
  }

  @Test
  void deeplyNestedJsonIs400(VertxTestContext ctx) {
    String nested = "[".repeat(5000) + "]".repeat(5000);
    JsonObject event = install(newId());
    String body = event.encode().replace("\"platform\":\"ios\"", "\"platform\":\"ios\",\"properties\":{\"a\":" + nested + "}");
    expect(service.post("/v1/events/install").sendBuffer(Buffer.buffer(body)), 400, ctx);
  }

  private void expect(Future<HttpResponse<Buffer>> request, int status, VertxTestContext ctx) {
    request.onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
      assertThat(response.bodyAsJsonObject().getString("detail")).isNotBlank();
      assertThat(service.sinkRecords()).isEmpty();
      ctx.completeNow();
    })));
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
