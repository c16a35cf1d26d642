package io.gameevents.http.refused;

import io.gameevents.delivery.firehose.FirehoseDouble;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/** With Firehose, refused events go to delivery.firehose.refused_stream_name, in spool mode too, before the answer. */
class FirehoseRefusedStreamTest {

  private static final String REFUSED = "game-events-refused-test";

  private Vertx vertx;
  private FirehoseDouble firehose;
  private TestService service;

  @BeforeEach
  void start() throws Exception {
    // the refused stream's client takes the AWS default chain, whose first link is these properties
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    vertx = Vertx.vertx();
    firehose = FirehoseDouble.start(vertx).await(60, SECONDS);
    firehose.addStream(REFUSED);
    service = TestService.start(vertx, c -> {
      c.getJsonObject("delivery").put("sink", "firehose") // ack: spool, the default of a remote sink
          .put("firehose", new JsonObject().put("stream_name", FirehoseDouble.STREAM)
              .put("refused_stream_name", REFUSED).put("endpoint_override", firehose.endpoint()));
      return c;
    }, FirehoseDouble.sinks()).await(60, SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    service.stop().await(60, SECONDS);
    firehose.close().await(60, SECONDS);
    vertx.close().await(60, SECONDS);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void aRefusedEventIsInTheRefusedStreamWhenItsAnswerSaysKept() throws Exception {
    JsonObject event = purchase(newId()).put("currency", "eur");

    HttpResponse<Buffer> response = service.postJson("/v1/events/purchase", event).await(60, SECONDS);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getBoolean("kept")).isTrue();
    // confirmed by the stream before the answer: no wait needed
    List<String> refused = firehose.putRecordBatchCalls().stream().filter(call -> REFUSED.equals(call.streamName()))
        .flatMap(call -> call.records().stream()).toList();
    assertThat(refused).singleElement().satisfies(data -> {
      JsonObject record = new JsonObject(data.strip());
      assertThat(record.getString("event_id")).isEqualTo(event.getString("event_id"));
      assertThat(new JsonObject(record.getString("payload"))).isEqualTo(event);
      assertThat(record.getString("problem_type")).isEqualTo("invalid-event");
    });
    assertThat(firehose.putRecordBatchCalls()).allSatisfy(call -> assertThat(call.streamName()).isEqualTo(REFUSED));
  }
}
