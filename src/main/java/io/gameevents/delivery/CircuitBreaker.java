package io.gameevents.delivery;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fail fast while the sink is down: reads the instance's {@link SinkState} and, while the breaker is
 * open ({@link SinkState.BreakerOpen}, {@link SinkState.Probing}), refuses batches at once (503 with
 * Retry-After) instead of letting each wait the delivery deadline, except one batch per probe interval,
 * which goes out as a single attempt: the first one that confirms records closes the breaker. One per
 * delivery instance, on its context.
 */
final class CircuitBreaker {

  enum Admission { PASS, PROBE, REJECT }

  private final SinkStatus status;
  private final LongSupplier nanoTime;
  private long lastProbeNanos;
  private boolean probed;

  CircuitBreaker(SinkStatus status, LongSupplier nanoTime) {
    this.status = status;
    this.nanoTime = nanoTime;
  }

  Admission admit() {
    SinkState state = status.state();
    if (!(state instanceof SinkState.BreakerOpen || state instanceof SinkState.Probing)) {
      return Admission.PASS;
    }
    // one probe per interval, whether or not the last one was answered: a probe is a single
    // attempt, so at most call_timeout / probe_interval of them are ever in flight
    long now = nanoTime.getAsLong();
    if (!probed || now - lastProbeNanos >= TimeUnit.MILLISECONDS.toNanos(status.probeIntervalMs())) {
      probed = true;
      lastProbeNanos = now;
      return Admission.PROBE;
    }
    return Admission.REJECT;
  }
}
