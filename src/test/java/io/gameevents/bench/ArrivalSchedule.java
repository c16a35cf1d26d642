package io.gameevents.bench;

/**
 * When each request of a constant-arrival-rate run is due: request {@code i} at {@code start + i / rate},
 * computed from {@code i} each time rather than by adding an interval (a rounded interval would drift:
 * 1e9 / 13,072 ns rounded down sends 0.03% too fast, and the error grows with the run).
 */
final class ArrivalSchedule {

  private final long startNanos;
  private final double rate;

  ArrivalSchedule(long startNanos, double requestsPerSecond) {
    if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("the rate must be a positive number of requests per second, not "
          + requestsPerSecond);
    }
    this.startNanos = startNanos;
    this.rate = requestsPerSecond;
  }

  /** The intended send time of request {@code sequence} (0 is due at the start). */
  long dueNanos(long sequence) {
    return startNanos + (long) Math.floor(sequence * 1e9 / rate);
  }

  /** How many requests are due strictly before {@code offsetNanos} after the start (a window's request count). */
  long countBefore(long offsetNanos) {
    if (offsetNanos <= 0) {
      return 0;
    }
    long count = (long) Math.ceil(offsetNanos * rate / 1e9);
    // the floating-point estimate can be one off either way; the due times decide
    while (count > 0 && dueNanos(count - 1) - startNanos >= offsetNanos) {
      count--;
    }
    while (dueNanos(count) - startNanos < offsetNanos) {
      count++;
    }
    return count;
  }

  long startNanos() {
    return startNanos;
  }
}
