package io.gameevents.delivery;

import java.util.List;

/**
 * The one answer to "does the sink take writes, and if not, why and until when", as {@link SinkStatus}
 * derives it for one delivery (or forwarder) instance. /ready, /health/sink, the circuit breaker and the
 * {@code game_events_sink_state} metric all read this value, so they cannot disagree.
 *
 * <p>Writes resume on their own from every state: {@link Failing} as soon as an attempt confirms records,
 * {@link BreakerOpen} when a probe write does, {@link Fatal} when the sink's own check (Firehose's
 * describe, the file sink's probe file) passes again.
 */
public sealed interface SinkState {

  /** Whether /ready counts this sink as taking writes. */
  boolean ready();

  /** For operators: why, and what brings writes back. Never a secret. */
  String detail();

  /** The state's name: the metric's {@code state} label and {@code state} on /health/sink. */
  String label();

  /** The last attempt confirmed records (or none was made yet) and the sink's own check passes. */
  record Writing(String detail) implements SinkState {
    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public String label() {
      return "writing";
    }
  }

  /**
   * Every attempt for {@code failingForMs} confirmed nothing, not yet long enough to open the breaker:
   * requests still wait for the sink (and its retries), so it still counts as ready.
   */
  record Failing(long failingForMs, String lastFailure, String sinkDetail) implements SinkState {
    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public String detail() {
      return sinkDetail + "; no write has succeeded for " + failingForMs + " ms: " + lastFailure;
    }

    @Override
    public String label() {
      return "failing";
    }
  }

  /**
   * Every attempt for at least {@code circuit_breaker.open_after_ms} confirmed nothing. In the delivery
   * stage requests get 503 at once and one probe write per {@code probe_interval_ms} is let through; the
   * forwarder keeps retrying its spool (it has no requests to refuse).
   *
   * @param refusing   whether requests are refused meanwhile (the delivery stage's breaker)
   * @param sinkDetail the sink's own check when it fails too, else null
   */
  record BreakerOpen(String sinkName, long failingForMs, String lastFailure, boolean refusing, String sinkDetail)
      implements SinkState {
    @Override
    public boolean ready() {
      return false;
    }

    @Override
    public String detail() {
      return "no " + sinkName + " write has succeeded for " + (failingForMs / 1000) + " s: " + lastFailure
          + (sinkDetail == null ? "" : "; the sink reports: " + sinkDetail)
          + (refusing ? "; requests get 503 at once until a probe write succeeds" : "");
    }

    @Override
    public String label() {
      return "breaker_open";
    }
  }

  /** The breaker is open and a probe write is in flight: its answer closes the breaker or keeps it open. */
  record Probing(BreakerOpen open) implements SinkState {
    @Override
    public boolean ready() {
      return false;
    }

    @Override
    public String detail() {
      return open.detail() + "; a probe write is in flight";
    }

    @Override
    public String label() {
      return "probing";
    }
  }

  /**
   * The sink's own check says it cannot take writes (a Firehose stream missing, not ACTIVE or not
   * reachable, access denied; a spool or file directory that cannot be written), while writes have not
   * yet failed long enough to open the breaker.
   */
  record Fatal(String detail) implements SinkState {
    @Override
    public boolean ready() {
      return false;
    }

    @Override
    public String label() {
      return "fatal";
    }
  }

  /** Every label, for the metric (one series per state, so a dashboard sees 0s too). */
  static List<String> labels() {
    return List.of("writing", "failing", "breaker_open", "probing", "fatal");
  }
}
