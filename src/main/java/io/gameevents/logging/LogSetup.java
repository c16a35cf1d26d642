package io.gameevents.logging;

import io.gameevents.config.LogConfig;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's Logback configuration, in code: one STDOUT appender in the layout {@link LogLayout} chose (JSON
 * lines by default, text for a terminal), the root at {@code GAME_EVENTS_LOG_LEVEL} (default INFO), and the
 * noisy libraries turned down. The access log, a line per request, is written in the same layout to the same
 * stdout, but in batches from a thread of its own ({@link BatchingStdoutAppender}), off the event loops. Logback
 * finds this class through {@code META-INF/services} before it looks for XML.
 * Code rather than a {@code logback.xml} because parsing XML would be the largest single step of the start-up:
 * the JDK's XML parser and Joran's model and actions load a few hundred classes before the first log line.
 *
 * <p>Any XML still wins, in Logback's own order: {@code -Dlogback.configurationFile=...} (the operator's
 * override; {@code conf/logback.xml} is this configuration written out, to start from), then a
 * {@code logback-test.xml} or {@code logback.xml} on the classpath (the tests'). This class then steps aside and
 * Logback's Joran configurator reads the file.
 */
public class LogSetup extends ContextAwareBase implements Configurator {

  public static final String LEVEL_VARIABLE = "GAME_EVENTS_LOG_LEVEL";
  /** The access log's logger: a line per request, so written off the logging thread (BatchingStdoutAppender). */
  public static final String ACCESS_LOGGER = "game-events.access";

  /** The loggers set apart from the root, with why. */
  static final Map<String, Level> LEVELS = levels();

  private static Map<String, Level> levels() {
    Map<String, Level> levels = new LinkedHashMap<>();
    // noisy at DEBUG
    levels.put("io.netty", Level.WARN);
    levels.put("io.vertx", Level.INFO);
    // the launcher logs start-up failures with a stack trace; Main prints them as one line instead
    levels.put("io.vertx.launcher.application.VertxApplication", Level.OFF);
    levels.put("software.amazon.awssdk", Level.WARN);
    levels.put("com.hazelcast", Level.WARN);
    // we use no CP data structure (partition ownership is a plain map with compare-and-set), so Hazelcast's
    // warning that CP runs in unsafe mode at start-up does not apply
    levels.put("com.hazelcast.cp.CPSubsystem", Level.ERROR);
    // a node that drains gets the cluster's last control broadcasts (partition given up, node leaving) after
    // its consumers are gone, and Vert.x warns about each; a lost event shows as a 503 anyway
    levels.put("io.vertx.core.eventbus.impl.MessageConsumerImpl", Level.ERROR);
    // Vert.x registers one event-bus "pending" gauge per consumer of an address; Micrometer keeps the first
    // and warns about the rest (harmless)
    levels.put("io.micrometer.core.instrument.MeterRegistry", Level.ERROR);
    levels.put("com.networknt", Level.WARN);
    return levels;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (xmlGiven()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, LogConfig.Format.TEXT.key().equals(System.getProperty(LogLayout.PROPERTY))
        ? LogConfig.Format.TEXT : LogConfig.Format.JSON, rootLevel());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** An XML configuration Logback would read: the operator's file, or one on the classpath. */
  private static boolean xmlGiven() {
    ClassLoader loader = LogSetup.class.getClassLoader();
    return System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
        || loader.getResource(ContextInitializer.TEST_AUTOCONFIG_FILE) != null
        || loader.getResource(ContextInitializer.AUTOCONFIG_FILE) != null;
  }

  /**
   * {@code GAME_EVENTS_LOG_LEVEL}, as {@link LogLayout#select} passed it on from the environment (or given as a
   * system property): a level name in any case, anything else DEBUG (Logback's reading of a level it does not
   * know); INFO when unset or blank.
   */
  static Level rootLevel() {
    String value = System.getProperty(LEVEL_VARIABLE);
    return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.trim());
  }

  /**
   * Configures {@code context}: the STDOUT appender in {@code format}, {@link #LEVELS}, the root at {@code root};
   * the access log to its own ACCESS appender in the same format, written from a thread of its own, and not
   * also to the root's (additivity off).
   */
  static void apply(LoggerContext context, LogConfig.Format format, Level root) {
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder(context, format));
    stdout.start();
    BatchingStdoutAppender access = new BatchingStdoutAppender();
    access.setContext(context);
    access.setName("ACCESS");
    // an encoder of its own: the writer thread uses it alone
    access.setEncoder(encoder(context, format));
    access.start();
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    Logger rootLogger = context.getLogger(Logger.ROOT_LOGGER_NAME);
    rootLogger.setLevel(root);
    rootLogger.addAppender(stdout);
    Logger accessLogger = context.getLogger(ACCESS_LOGGER);
    accessLogger.setAdditive(false);
    accessLogger.addAppender(access);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogConfig.Format format) {
    Encoder<ILoggingEvent> encoder = format == LogConfig.Format.TEXT ? new TextLogEncoder() : new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /**
   * Stops the logging: the access log's queued lines are written first. The last step of a shutdown, after
   * Vert.x has stopped (so after the last access line); whatever is logged after it is lost. Logback's XML can
   * say the same with {@code <shutdownHook/>}, but a JVM shutdown hook runs beside Vert.x's own, not after it.
   */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
