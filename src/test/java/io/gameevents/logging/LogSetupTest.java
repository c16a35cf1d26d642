package io.gameevents.logging;

import io.gameevents.config.LogConfig;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Logback configuration in code gives the lines the XML one gave: conf/logback.xml (the old built-in
 * logback.xml, kept for operators to start from) and {@link LogSetup} configure the same appender, encoder and
 * levels, and encode the same event to the same bytes; and it steps aside when an XML configuration is given.
 */
class LogSetupTest {

  private final List<LoggerContext> contexts = new ArrayList<>();

  @AfterEach
  void stopContexts() {
    contexts.forEach(LoggerContext::stop);
    System.clearProperty(LogSetup.LEVEL_VARIABLE);
  }

  @Test
  void theCodeAndConfLogbackXmlGiveTheSameLevelsAndTheSameJsonLines() throws Exception {
    LoggerContext fromXml = context();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(fromXml);
    joran.doConfigure(Path.of("conf/logback.xml").toFile());
    LoggerContext fromCode = context();
    LogSetup.apply(fromCode, LogConfig.Format.JSON, Level.INFO);

    for (String name : List.of("io.netty", "io.netty.channel.epoll", "io.vertx", "io.vertx.core.impl",
        "io.vertx.launcher.application.VertxApplication", "software.amazon.awssdk", "com.hazelcast",
        "com.hazelcast.cp.CPSubsystem", "io.vertx.core.eventbus.impl.MessageConsumerImpl",
        "io.micrometer.core.instrument.MeterRegistry", "com.networknt", "game-events.access", "io.gameevents")) {
      assertThat(fromCode.getLogger(name).getEffectiveLevel()).as(name)
          .isEqualTo(fromXml.getLogger(name).getEffectiveLevel());
    }
    assertThat(fromCode.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(fromCode.getLogger("io.gameevents").getEffectiveLevel()).isEqualTo(Level.INFO);

    assertThat(stdout(fromCode)).isInstanceOf(JsonLogEncoder.class);
    assertThat(stdout(fromXml)).isInstanceOf(JsonLogEncoder.class);
    assertThat(access(fromCode)).isInstanceOf(JsonLogEncoder.class).isNotSameAs(stdout(fromCode));
    assertThat(access(fromXml)).isInstanceOf(JsonLogEncoder.class);
    ILoggingEvent event = event(fromCode);
    String line = encode(stdout(fromCode), event);
    assertThat(line).isEqualTo(encode(stdout(fromXml), event)).isEqualTo(encode(access(fromCode), event))
        .isEqualTo(encode(access(fromXml), event)).endsWith("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("@timestamp", "message", "logger", "thread", "level",
        "request_id", "status", "stack_trace");
    assertThat(json.getString("logger")).isEqualTo("game-events.access");
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("message")).isEqualTo("POST /v1/events/{type} 503 request_id=r-1 status=503");
    assertThat(json.getInteger("status")).isEqualTo(503);
    assertThat(json.getString("stack_trace")).startsWith("java.lang.IllegalStateException: sink down");
  }

  @Test
  void textLinesCarryTheFieldsInTheMessage() {
    LoggerContext context = context();
    LogSetup.apply(context, LogConfig.Format.TEXT, Level.INFO);

    ILoggingEvent event = event(context);
    String line = encode(stdout(context), event);
    assertThat(access(context)).isInstanceOf(TextLogEncoder.class);
    assertThat(encode(access(context), event)).isEqualTo(line);

    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[test-thread] "
        + "game-events.access - POST /v1/events/\\{type} 503 request_id=r-1 status=503\\n"
        + "java.lang.IllegalStateException: sink down\\n(?s).*");
  }

  @Test
  void theRootLevelComesFromGameEventsLogLevel() {
    System.clearProperty(LogSetup.LEVEL_VARIABLE);
    assertThat(LogSetup.rootLevel()).isEqualTo(Level.INFO);
    System.setProperty(LogSetup.LEVEL_VARIABLE, "warn");
    assertThat(LogSetup.rootLevel()).isEqualTo(Level.WARN);
    System.setProperty(LogSetup.LEVEL_VARIABLE, " ");
    assertThat(LogSetup.rootLevel()).isEqualTo(Level.INFO);
    // what Logback's XML made of a level it does not know
    System.setProperty(LogSetup.LEVEL_VARIABLE, "loud");
    assertThat(LogSetup.rootLevel()).isEqualTo(Level.DEBUG);

    LoggerContext context = context();
    LogSetup.apply(context, LogConfig.Format.JSON, Level.ERROR);
    assertThat(context.getLogger("io.gameevents").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  /** Here logback-test.xml is on the classpath, as an operator's -Dlogback.configurationFile is in production. */
  @Test
  void anXmlConfigurationWinsAndTheCodeStepsAside() {
    LoggerContext context = context();
    LogSetup setup = new LogSetup();
    setup.setContext(context);

    assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
  }

  private LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding gives the real one
    contexts.add(context);
    return context;
  }

  private static ILoggingEvent event(LoggerContext context) {
    Logger access = context.getLogger("game-events.access");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), access, Level.WARN, "POST /v1/events/{type} 503 {} {}",
        new IllegalStateException("sink down"), new Object[] {kv("request_id", "r-1"), kv("status", 503)});
    event.setThreadName("test-thread");
    event.setTimeStamp(1_790_000_000_123L);
    return event;
  }

  @SuppressWarnings("unchecked")
  private static Encoder<ILoggingEvent> stdout(LoggerContext context) {
    Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    assertThat(appender.isStarted()).isTrue();
    return ((ConsoleAppender<ILoggingEvent>) appender).getEncoder();
  }

  /** The access log's own appender, in both configurations: batched off the logging thread, not also the root's. */
  private static Encoder<ILoggingEvent> access(LoggerContext context) {
    Logger access = context.getLogger(LogSetup.ACCESS_LOGGER);
    assertThat(access.isAdditive()).as("additivity").isFalse();
    Appender<ILoggingEvent> appender = access.getAppender("ACCESS");
    assertThat(appender).isInstanceOf(BatchingStdoutAppender.class);
    assertThat(appender.isStarted()).isTrue();
    assertThat(((BatchingStdoutAppender) appender).getQueueSize()).isEqualTo(BatchingStdoutAppender.DEFAULT_QUEUE_SIZE);
    return ((BatchingStdoutAppender) appender).getEncoder();
  }

  private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
