package io.gameevents.delivery;

import io.gameevents.delivery.DeliveryConfig.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fail fast while the sink is down. Once every write attempt has failed for {@code open_after_ms}
 * (the writer's {@code failingForMs}), batches are refused at once (503 with Retry-After) instead of
 * each waiting the delivery deadline; every {@code probe_interval_ms} one batch is let through
 * (half-open) for a single attempt, and the first attempt that confirms records closes the breaker.
 * One per delivery instance, on its context.
 */
final class CircuitBreaker {

  enum Admission { PASS, PROBE, REJECT }

  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private final CircuitBreakerConfig config;
  private final LongSupplier failingForMs;
  private final String sinkName;
  private boolean open;
  private long lastProbeNanos;

  CircuitBreaker(CircuitBreakerConfig config, LongSupplier failingForMs, String sinkName) {
    this.config = config;
    this.failingForMs = failingForMs;
    this.sinkName = sinkName;
  }

  Admission admit() {
    if (!isOpen()) {
      return Admission.PASS;
    }
    // one probe per interval, whether or not the last one was answered: a probe is a single
    // attempt, so at most call_timeout / probe_interval of them are ever in flight
    long now = System.nanoTime();
    if (now - lastProbeNanos >= TimeUnit.MILLISECONDS.toNanos(config.probeIntervalMs())) {
      lastProbeNanos = now;
      return Admission.PROBE;
    }
    return Admission.REJECT;
  }

  boolean isOpen() {
    boolean failing = failingForMs.getAsLong() >= config.openAfterMs();
    if (failing != open) {
      open = failing;
      if (failing) {
        log.warn("{} sink: every write has failed for {} ms; requests get 503 at once, one probe write every {} ms",
            sinkName, config.openAfterMs(), config.probeIntervalMs());
      } else {
        log.info("{} sink: a write succeeded; requests are taken again", sinkName);
      }
    }
    return open;
  }
}
