package io.gameevents.delivery.sinks;

import io.gameevents.delivery.SinkType;
import io.gameevents.delivery.file.FileSinkType;
import io.gameevents.delivery.firehose.FirehoseSinkType;

import java.util.List;

/**
 * Every sink the service can deliver to. A new sink (a Kafka producer, an S3 writer) is its own
 * package with a {@link SinkType}, plus one line here. Apart from {@code delivery}, which the sink packages build
 * on: the composition root hands this list to {@link io.gameevents.delivery.DeliveryConfig#of}.
 */
public final class SinkTypes {

  public static final List<SinkType<?>> ALL = List.of(
      FileSinkType.TYPE,
      FirehoseSinkType.TYPE);

  private SinkTypes() {
  }
}
