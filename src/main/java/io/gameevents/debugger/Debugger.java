package io.gameevents.debugger;

import io.gameevents.config.DebuggerConfig;
import io.gameevents.http.OperatorTools;
import io.gameevents.http.auth.AdminTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The live event debugger of one node: the ring buffer of recent entries, the 15-minute counts, and the bound on
 * open streams. One per node, shared by every HTTP instance: the ingest path calls {@link #seen} on whichever event
 * loop answered, which costs one entry of references, one sequence number, one slot write and two counter
 * increments (nothing waits, nothing is looked up or rendered).
 * Without admin tokens it is {@link #on() off} and takes nothing.
 */
public final class Debugger implements OperatorTools {

  private final DebuggerConfig config;
  private final AdminTokens tokens;
  private final String node;
  private final int ingestPort;
  private final EventRing ring;
  private final Counts counts = new Counts(System::currentTimeMillis);
  private final EntryView view;
  private final AtomicInteger subscribers = new AtomicInteger();
  private final Counter dropped;
  private final FailedAttempts failedAttempts = new FailedAttempts(System::nanoTime);

  /** @param ingestPort where this node takes events (http.port), for the page's curl line */
  public Debugger(DebuggerConfig config, AdminTokens tokens, String node, int ingestPort, MeterRegistry registry) {
    this.config = config;
    this.ingestPort = ingestPort;
    this.tokens = tokens;
    this.node = node;
    this.ring = new EventRing(config.bufferSize());
    this.view = new EntryView(config, node);
    Gauge.builder("game_events_debugger_subscribers", subscribers, AtomicInteger::get)
        .description("Live event debugger streams open on this node").register(registry);
    this.dropped = Counter.builder("game_events_debugger_dropped_subscribers")
        .description("Debugger streams closed because their client did not read them fast enough").register(registry);
  }

  /** False without admin tokens: no page, no stream, and the ingest path records nothing. */
  @Override
  public boolean watching() {
    return tokens.configured();
  }

  @Override
  public void seen(Seen seen) {
    long now = System.currentTimeMillis(); // one clock read for the entry and the counts
    Entry entry = Entry.of(seen, now, System.nanoTime());
    ring.publish(ring.reserve(1), entry);
    counts.add(entry.status, entry.eventType, now);
  }

  /**
   * A batch's events, answered at one moment: one reading of each clock and one range of sequence numbers for
   * all of them (the sequence counter is shared by every event loop: taken once per batch, not once per event).
   */
  @Override
  public void seenAll(List<? extends Seen> seen) {
    long now = System.currentTimeMillis();
    long nanos = System.nanoTime();
    long seq = ring.reserve(seen.size());
    for (Seen one : seen) {
      Entry entry = Entry.of(one, now, nanos);
      ring.publish(seq++, entry);
      counts.add(entry.status, entry.eventType, now);
    }
  }

  @Override
  public void mountRoutes(Router router) {
    DebuggerRoutes.mount(router, this);
  }

  @Override
  public void authorizeAdmin(RoutingContext ctx, String tool, Consumer<String> then) {
    DebuggerRoutes.authorize(this, ctx, tool, then);
  }

  /** The operators' tokens: they open the debugger, and the probes' details on the public port. */
  @Override
  public AdminTokens tokens() {
    return tokens;
  }

  /** Shared by every listener and HTTP instance of this node, so a guesser cannot spread over them. */
  FailedAttempts failedAttempts() {
    return failedAttempts;
  }

  DebuggerConfig config() {
    return config;
  }

  EventRing ring() {
    return ring;
  }

  EntryView view() {
    return view;
  }

  JsonObject counts() {
    return counts.snapshot();
  }

  /** What a new stream says first: which node it watches and how it is set up. */
  JsonObject hello() {
    return new JsonObject().put("node", node).put("ingest_port", ingestPort).put("buffer_size", config.bufferSize())
        .put("max_events_per_second", config.maxEventsPerSecond())
        .put("mask_player_ids", config.maskPlayerIds()).put("show_properties", config.showProperties());
  }

  /** Takes a stream slot; false when {@code debugger.max_subscribers} are open. */
  boolean admit() {
    if (subscribers.incrementAndGet() > config.maxSubscribers()) {
      subscribers.decrementAndGet();
      return false;
    }
    return true;
  }

  void leave(boolean droppedForBeingSlow) {
    subscribers.decrementAndGet();
    if (droppedForBeingSlow) {
      dropped.increment();
    }
  }
}
