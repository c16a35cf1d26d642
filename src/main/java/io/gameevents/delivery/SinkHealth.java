package io.gameevents.delivery;

/** The sink's state as /ready reports it. {@code detail} is for operators, e.g. "stream ACTIVE". */
public record SinkHealth(boolean ready, String detail) {

  public static SinkHealth ready(String detail) {
    return new SinkHealth(true, detail);
  }

  public static SinkHealth notReady(String detail) {
    return new SinkHealth(false, detail);
  }
}
