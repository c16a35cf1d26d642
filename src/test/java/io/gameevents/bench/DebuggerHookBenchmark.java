package io.gameevents.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.config.AdminConfig;
import io.gameevents.config.AuthConfig;
import io.gameevents.config.DebuggerConfig;
import io.gameevents.config.Secret;
import io.gameevents.debugger.Debugger;
import io.gameevents.http.OperatorTools;
import io.gameevents.pipeline.Outcome;
import io.gameevents.http.auth.AdminTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the live debugger adds to each answered event: one entry (references only; the ids are read from its
 * bytes when a stream first needs them) into the lock-free ring and the 15-minute counts, shared by every
 * benchmark thread as by the HTTP event loops.
 * Run with bench/jmh.sh DebuggerHookBenchmark -t 2 (and -t 1).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DebuggerHookBenchmark {

  @State(Scope.Benchmark)
  public static class Node {
    final Debugger debugger = new Debugger(DebuggerConfig.DEFAULTS,
        AdminTokens.from(new AdminConfig(List.of(new AdminConfig.Token("ops", new Secret("bench-admin-secret", null)))),
            new AuthConfig(List.of(), null)), "local", 8000, new SimpleMeterRegistry());
    final byte[] raw = ("{\"event_id\":\"3f6c1a9e-0d7b-4c1e-9a51-2b0c0f6d9e11\",\"event_type\":\"install\","
        + "\"occurred_at\":\"2026-12-01T10:00:00Z\",\"player_id\":\"player_1\",\"app_id\":\"com.game.test\","
        + "\"platform\":\"ios\"}").getBytes(StandardCharsets.UTF_8);
    final JsonNode event = parse(raw);
    /** Distinct events, more than the caches hold, as a batch's trees are by the time their answers come back. */
    final JsonNode[] events = new JsonNode[COLD_EVENTS];
    final byte[][] raws = new byte[COLD_EVENTS][];
    int next;

    public Node() {
      String text = new String(raw, StandardCharsets.UTF_8);
      for (int i = 0; i < COLD_EVENTS; i++) {
        raws[i] = text.replace("3f6c1a9e", String.format("%08x", i)).replace("player_1", "player_" + i)
            .getBytes(StandardCharsets.UTF_8);
        events[i] = parse(raws[i]);
      }
    }
  }

  static final int COLD_EVENTS = 1 << 14;

  @Benchmark
  public Debugger add(Node node) {
    node.debugger.seen(new OperatorTools.Handled(asker(), node.event, "install", node.raw, Outcome.ACCEPTED, node.raw,
        null));
    return node.debugger;
  }

  /** As {@link #add}, each call with another of {@link Node#events}, whose tree is then usually not in cache. */
  @Benchmark
  public Debugger addCold(Node node) {
    int i = node.next++ & (COLD_EVENTS - 1);
    node.debugger.seen(new OperatorTools.Handled(asker(), node.events[i], "install", node.raws[i], Outcome.ACCEPTED,
        node.raws[i], null));
    return node.debugger;
  }

  /** Events a {@link #addBatch} call hands over. */
  public static final int BATCH = 100;

  /**
   * A 100-event batch's valid events handed over together, as the ingest path does since the hook takes a batch
   * at once (one asker, one clock reading, one range of sequence numbers), each with another of
   * {@link Node#events}.
   */
  @Benchmark
  public Debugger addBatch(Node node) {
    OperatorTools.Asker asker = asker();
    List<OperatorTools.Seen> seen = new java.util.ArrayList<>(BATCH);
    for (int j = 0; j < BATCH; j++) {
      int i = node.next++ & (COLD_EVENTS - 1);
      seen.add(new OperatorTools.Handled(asker, node.events[i], "install", node.raws[i], Outcome.ACCEPTED,
          node.raws[i], null));
    }
    node.debugger.seenAll(seen);
    return node.debugger;
  }

  /** Built per call, as the ingest path does. */
  private static OperatorTools.Asker asker() {
    return new OperatorTools.Asker("0123456789abcdef0123456789abcdef", "dev", "127.0.0.1", System.nanoTime());
  }

  private static JsonNode parse(byte[] raw) {
    try {
      return new ObjectMapper().readTree(raw);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
