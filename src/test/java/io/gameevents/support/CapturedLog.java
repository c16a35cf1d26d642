package io.gameevents.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.gameevents.logging.JsonLogEncoder;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every line logged while it is open, encoded by the service's own {@link JsonLogEncoder} exactly as the
 * fat jar writes them to stdout: tests parse the lines and count their bytes. Attached to the root logger;
 * the loggers named at {@link #open} are set to the given level meanwhile (the access log is off in the
 * tests' logback-test.xml), and put back on {@link #close}.
 */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  public static final String ACCESS = "game-events.access";

  private final JsonLogEncoder encoder = new JsonLogEncoder();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Map<Logger, Level> levels = new LinkedHashMap<>();

  private CapturedLog() {
  }

  /** Captures everything; {@code loggers} (e.g. {@link #ACCESS}, or {@code ROOT}) log at {@code level} meanwhile. */
  public static CapturedLog open(Level level, String... loggers) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CapturedLog log = new CapturedLog();
    log.setContext(context);
    log.setName("captured");
    log.encoder.setContext(context);
    log.encoder.start();
    log.start();
    for (String name : loggers) {
      Logger logger = context.getLogger(name);
      log.levels.put(logger, logger.getLevel());
      logger.setLevel(level);
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
    return log;
  }

  /** At INFO on the access log, as the service runs by default. */
  public static CapturedLog access() {
    return open(Level.INFO, ACCESS);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    bytes.writeBytes(encoder.encode(event));
  }

  public synchronized long size() {
    return bytes.size();
  }

  public synchronized String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Each line as JSON: fails if a line is not one JSON object. */
  public List<JsonObject> lines() {
    return Arrays.stream(text().split("\n")).filter(line -> !line.isEmpty()).map(JsonObject::new).toList();
  }

  public List<JsonObject> accessLines() {
    return lines().stream().filter(line -> ACCESS.equals(line.getString("logger"))).toList();
  }

  /** The access line of the request answered with this X-Request-Id, or null. */
  public JsonObject request(String requestId) {
    return accessLines().stream().filter(line -> requestId.equals(line.getString("request_id"))).findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) getContext();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    levels.forEach(Logger::setLevel);
    stop();
    encoder.stop();
  }
}
