package io.gameevents.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.LoggerConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThreadConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.pattern.DynamicConverter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The text layout ({@code log.format=text}): {@code time LEVEL [thread] logger - message}, a stack trace on the
 * lines after. Every part a request could have written into is escaped by {@link LogEscape} (the thread and
 * logger names, the message with the access log's key=value fields, each exception's message), so no input can
 * forge a line. A class rather than a pattern in XML so that an operator's logback.xml gets the escaping too.
 */
public class TextLogEncoder extends LayoutWrappingEncoder<ILoggingEvent> {

  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n%ex";

  @Override
  public void start() {
    PatternLayout layout = new PatternLayout();
    // Logback's own conversion words, made escaping: the pattern reads as usual
    Map<String, Supplier<DynamicConverter>> words = layout.getInstanceConverterMap();
    for (String word : List.of("m", "msg", "message")) {
      words.put(word, EscapedMessage::new);
    }
    for (String word : List.of("t", "thread")) {
      words.put(word, EscapedThread::new);
    }
    for (String word : List.of("c", "lo", "logger")) {
      words.put(word, EscapedLogger::new);
    }
    for (String word : List.of("ex", "exception", "throwable")) {
      words.put(word, EscapedThrowable::new);
    }
    layout.setContext(getContext());
    layout.setPattern(PATTERN);
    layout.start();
    setLayout(layout);
    super.start();
  }

  /** {@code %msg}: the formatted message (with the access log's key=value fields), escaped. */
  public static final class EscapedMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return LogEscape.escape(super.convert(event));
    }
  }

  /** {@code %thread}. */
  public static final class EscapedThread extends ThreadConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return LogEscape.escape(super.convert(event));
    }
  }

  /** {@code %logger}. */
  public static final class EscapedLogger extends LoggerConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return LogEscape.escape(super.convert(event));
    }
  }

  /** {@code %ex}: Logback's stack trace, each throwable's class name and message escaped, its frames on their lines. */
  public static final class EscapedThrowable extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
      return super.throwableProxyToString(new EscapedProxy(proxy));
    }
  }

  private record EscapedProxy(IThrowableProxy proxy) implements IThrowableProxy {
    /** Set for a cyclic cause: it quotes the throwable's message. */
    @Override
    public String getOverridingMessage() {
      return proxy.getOverridingMessage() == null ? null : LogEscape.escape(proxy.getOverridingMessage());
    }

    @Override
    public String getMessage() {
      return proxy.getMessage() == null ? null : LogEscape.escape(proxy.getMessage());
    }

    @Override
    public String getClassName() {
      return LogEscape.escape(proxy.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return proxy.getCause() == null ? null : new EscapedProxy(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      return proxy.getSuppressed() == null ? null
          : Arrays.stream(proxy.getSuppressed()).map(EscapedProxy::new).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
    }
  }
}
