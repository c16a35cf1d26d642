package io.gameevents.delivery;

import io.gameevents.pipeline.EventBatch;
import io.gameevents.pipeline.Outcomes;
import io.gameevents.pipeline.Pipeline;
import io.gameevents.pipeline.PipelineEvent;
import io.gameevents.pipeline.WireLimits;
import io.gameevents.support.ServiceTestBase;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery stage re-checks what it is handed before writing: a batch at its address may come from anyone
 * who reaches the clustered event bus, not only from this service's HTTP stage.
 */
class DeliveryRecheckTest extends ServiceTestBase {

  @Test
  void aMalformedAppIdOrAnOversizedRecordIsNeverWritten() throws Exception {
    int tooLarge = WireLimits.of(service.main.appConfig().http()).maxRecordBytes() + 1;
    byte[] huge = new byte[tooLarge];
    Arrays.fill(huge, (byte) 'x');
    EventBatch batch = new EventBatch(List.of(
        new PipelineEvent("com.game.test", "good-1", "{\"event_id\":\"good-1\"}".getBytes(StandardCharsets.UTF_8)),
        new PipelineEvent("../../etc", "bad-app", "{\"event_id\":\"bad-app\"}".getBytes(StandardCharsets.UTF_8)),
        new PipelineEvent("", "empty-app", "{\"event_id\":\"empty-app\"}".getBytes(StandardCharsets.UTF_8)),
        new PipelineEvent("com.game.test", "too-large", huge)));

    Message<Outcomes> reply = service.vertx.eventBus().<Outcomes>request(Pipeline.deliveryAddress("local"), batch)
        .await(10, TimeUnit.SECONDS);

    assertThat(reply.body().toString()).isEqualTo("Outcomes[ACCEPTED,SINK_FAILED,SINK_FAILED,SINK_FAILED]");
    assertThat(service.sinkRecords()).extracting(record -> record.getString("event_id")).containsExactly("good-1");
  }
}
