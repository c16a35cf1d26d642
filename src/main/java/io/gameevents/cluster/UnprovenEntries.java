package io.gameevents.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Counts what was found in Hazelcast or on the leaving address without a valid proof of {@code cluster.secret},
 * and says so in a WARN once per kind and node: a rogue rewriting entries every second must not flood the log.
 * Such entries are ignored by whoever reads them; this only makes them visible. One per node, shared by its
 * readers (the cluster view, every dedup instance, every owner table), so one bad entry counts once.
 */
public final class UnprovenEntries {

  public enum Kind {
    OWNER, NODE, LEAVING, SUPPRESSION;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(UnprovenEntries.class);
  /** Past this many warned-about nodes, further ones are only counted: the set must stay bounded. */
  private static final int MAX_WARNED = 1024;
  /** Node ids are UUIDs; anything else a rogue wrote is not repeated into the log. */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  /** The unproven owner entry last counted per partition (its hash): a rewrite counts again, a re-read does not. */
  private final Map<Integer, Integer> ownerEntries = new ConcurrentHashMap<>();

  public UnprovenEntries(MeterRegistry registry) {
    for (Kind kind : Kind.values()) {
      counters.put(kind, Counter.builder("game_events_cluster_unproven_entries").tag("kind", kind.label())
          .description("Entries in Hazelcast or leaving notices without a valid proof of cluster.secret (ignored)")
          .register(registry));
    }
  }

  /** An owner entry of {@code partition} that did not verify; {@code claimedNode} as the entry names it, or null. */
  public void owner(int partition, String raw, String claimedNode) {
    Integer previous = ownerEntries.put(partition, raw.hashCode());
    if (previous == null || previous != raw.hashCode()) {
      seen(Kind.OWNER, claimedNode, "the owner entry of dedup partition " + partition);
    }
  }

  /** An owner entry of {@code partition} that verified: a later unproven one there counts again. */
  public void ownerProven(int partition) {
    ownerEntries.remove(partition);
  }

  public void node(String nodeId) {
    seen(Kind.NODE, nodeId, "the node metadata of cluster member " + readable(nodeId));
  }

  /** A suppression entry (in the cluster's map or announced) without a valid proof: a rogue must not suppress a studio. */
  public void suppression() {
    seen(Kind.SUPPRESSION, null, "a suppression list entry");
  }

  public void leaving(String claimedNode) {
    seen(Kind.LEAVING, claimedNode, "a leaving notice for node " + readable(claimedNode));
  }

  private void seen(Kind kind, String nodeId, String what) {
    counters.get(kind).increment();
    if (warned.size() < MAX_WARNED && warned.add(kind.label() + " " + readable(nodeId))) {
      log.warn("unproven cluster entry (kind {}): {} carries no valid proof of cluster.secret and is ignored; a "
          + "member with another cluster.secret, or a process that is no member, writes into the cluster", kind.label(),
          what);
    }
  }

  private static String readable(String nodeId) {
    return nodeId != null && NODE_ID.matcher(nodeId).matches() ? nodeId : "(unreadable)";
  }
}
