package io.gameevents.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the SDK logged through {@code System.Logger} (JUL by default, as in these tests) under one class's logger.
 * Close it to detach.
 */
final class CapturedLog implements AutoCloseable {

  private final Logger logger; // held: JUL keeps loggers only weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private CapturedLog(Class<?> source) {
    logger = Logger.getLogger(source.getName());
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  /** The messages logged at WARNING or above. */
  List<String> warnings() {
    return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
