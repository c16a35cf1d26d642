package io.gameevents.delivery;

import io.gameevents.delivery.DeliveryConfig.CircuitBreakerConfig;
import io.gameevents.delivery.SinkState.BreakerOpen;
import io.gameevents.delivery.SinkState.Failing;
import io.gameevents.delivery.SinkState.Fatal;
import io.gameevents.delivery.SinkState.Probing;
import io.gameevents.delivery.SinkState.Writing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The owner of one instance's {@link SinkState}: derives it from two facts only, what the writes
 * achieved (the {@link RetryingWriter}: failing since when, why, probes in flight) and the sink's own
 * check ({@link Sink#health()}), so every reader gets the same answer from the same inputs. Derived on
 * each read rather than stored, because "the breaker is open" becomes true by time passing, not by an
 * event. May be read from any thread (the metric is read by the scrape).
 */
public final class SinkStatus {

  private static final Logger log = LoggerFactory.getLogger(SinkStatus.class);

  private final RetryingWriter writer;
  private final String sinkName;
  private final long openAfterMs;
  /** The breaker's probe interval when requests are refused while it is open; 0: nothing is refused. */
  private final long probeIntervalMs;
  private final AtomicReference<String> lastLabel = new AtomicReference<>("writing");

  private SinkStatus(RetryingWriter writer, String sinkName, long openAfterMs, long probeIntervalMs) {
    this.writer = writer;
    this.sinkName = sinkName;
    this.openAfterMs = openAfterMs;
    this.probeIntervalMs = probeIntervalMs;
  }

  /** The delivery stage's: once open, requests get 503 at once and probes decide when writes resume. */
  public static SinkStatus withBreaker(RetryingWriter writer, String sinkName, CircuitBreakerConfig breaker) {
    return new SinkStatus(writer, sinkName, breaker.openAfterMs(), breaker.probeIntervalMs());
  }

  /** The forwarder's: not ready after {@code openAfterMs} of failing writes, but it refuses nothing. */
  public static SinkStatus withoutBreaker(RetryingWriter writer, String sinkName, long openAfterMs) {
    return new SinkStatus(writer, sinkName, openAfterMs, 0);
  }

  public SinkState state() {
    SinkState state = derive();
    logChange(state);
    return state;
  }

  public long probeIntervalMs() {
    return probeIntervalMs;
  }

  private SinkState derive() {
    SinkHealth own = writer.sink().health();
    long failingForMs = writer.failingForMs();
    boolean failing = writer.failing();
    if (failing && failingForMs >= openAfterMs) {
      BreakerOpen open = new BreakerOpen(sinkName, failingForMs, writer.lastFailure(), probeIntervalMs > 0,
          own.ready() ? null : own.detail());
      return writer.probesInFlight() > 0 ? new Probing(open) : open;
    }
    if (!own.ready()) {
      return new Fatal(own.detail());
    }
    return failing ? new Failing(failingForMs, writer.lastFailure(), own.detail()) : new Writing(own.detail());
  }

  private void logChange(SinkState state) {
    String previous = lastLabel.get();
    // read per batch by the breaker: a plain read while nothing changes, a write only on a change
    if (previous.equals(state.label()) || !lastLabel.compareAndSet(previous, state.label())) {
      return;
    }
    boolean open = state instanceof BreakerOpen || state instanceof Probing;
    boolean wasOpen = previous.equals("breaker_open") || previous.equals("probing");
    if (open && !wasOpen) {
      if (probeIntervalMs > 0) {
        log.warn("{} sink: every write has failed for {} ms; requests get 503 at once, one probe write every {} ms",
            sinkName, openAfterMs, probeIntervalMs);
      } else {
        log.warn("{} sink: every write has failed for {} ms; retrying until one succeeds", sinkName, openAfterMs);
      }
    } else if (!open && wasOpen) {
      log.info("{} sink: a write succeeded; {}", sinkName,
          probeIntervalMs > 0 ? "requests are taken again" : "the spool is being forwarded again");
    }
  }
}
