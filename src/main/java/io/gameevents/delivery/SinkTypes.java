package io.gameevents.delivery;

import io.gameevents.delivery.file.FileSinkType;
import io.gameevents.delivery.firehose.FirehoseSinkType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every sink the service can deliver to. A new sink (a Kafka producer, an S3 writer) is its own
 * package with a {@link SinkType}, plus one line here.
 */
public final class SinkTypes {

  private static final List<SinkType<?>> ALL = List.of(
      FileSinkType.TYPE,
      FirehoseSinkType.TYPE);

  private SinkTypes() {
  }

  /** By name, in registration order. */
  public static Map<String, SinkType<?>> byName() {
    Map<String, SinkType<?>> types = new LinkedHashMap<>();
    for (SinkType<?> type : ALL) {
      types.put(type.name(), type);
    }
    return types;
  }
}
