package io.gameevents.suppression;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.UnprovenEntries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries the suppression list between the nodes of a cluster on the cluster's own machinery, each entry with a
 * proof of {@code cluster.secret} over all its fields (as the dedup owner entries): a change is put in a Hazelcast
 * map ({@link #MAP}, digest to entry) and announced on the event bus ({@link #ADDRESS}) to every node, which checks
 * the proof and takes it if newer (fsynced, like its own). A node joining reads the whole map and puts back what it
 * kept newer on disk (a cluster restarted whole gets its list back from the nodes' files). An entry without a valid
 * proof, in the map or announced, is counted and ignored: a process that joined Hazelcast without the secret cannot
 * suppress a studio, nor lift a suppression.
 */
public final class SuppressionReplication {

  private static final Logger log = LoggerFactory.getLogger(SuppressionReplication.class);
  /** The cluster's copy of the list: digest (hex) to the entry with its proof (JSON text). */
  static final String MAP = "game-events.privacy.suppressions";
  /** Where a change is announced to every node (publish). */
  static final String ADDRESS = "game-events.privacy.suppression-changed";
  private static final String KIND = "suppression-entry";
  private static final String PROOF = "proof";
  /** An entry is short; longer text is not ours and is not parsed. */
  private static final int MAX_CHARS = 1024;

  private final Vertx vertx;
  private final SuppressionList list;
  private final ClusterKey key;
  private final UnprovenEntries unproven;
  private AsyncMap<String, String> map;

  public SuppressionReplication(Vertx vertx, SuppressionList list, ClusterKey key, UnprovenEntries unproven) {
    this.vertx = vertx;
    this.list = list;
    this.key = key;
    this.unproven = unproven;
  }

  /** Listens for changes, then merges this node's list with the cluster's both ways. */
  public Future<Void> start() {
    vertx.eventBus().<String>consumer(ADDRESS, message -> {
      SuppressionEntry entry = verify(message.body());
      if (entry != null) {
        vertx.executeBlocking(() -> list.apply(entry), false)
            .onFailure(e -> log.error("privacy: cannot keep a suppression entry from the cluster: {}", e.toString()));
      }
    });
    return vertx.sharedData().<String, String>getAsyncMap(MAP).compose(shared -> {
      map = shared;
      return shared.entries();
    }).compose(entries -> vertx.executeBlocking(() -> merge(entries), false)).compose(newer -> {
      List<Future<Void>> puts = new ArrayList<>();
      for (SuppressionEntry entry : newer) {
        puts.add(map.put(entry.digest().hex(), sign(entry)));
      }
      return Future.all(puts).mapEmpty();
    });
  }

  /** Puts {@code entry}, which this node just took, in the cluster's map and tells every node. */
  public Future<Void> announce(SuppressionEntry entry) {
    String signed = sign(entry);
    vertx.eventBus().publish(ADDRESS, signed);
    return map == null ? Future.succeededFuture() : map.put(entry.digest().hex(), signed);
  }

  /** Takes the map's proven entries that are newer; returns this node's that the map lacks or holds older. */
  private List<SuppressionEntry> merge(Map<String, String> entries) throws java.io.IOException {
    Map<String, SuppressionEntry> shared = new java.util.HashMap<>();
    for (Map.Entry<String, String> item : entries.entrySet()) {
      SuppressionEntry entry = verify(item.getValue());
      if (entry != null && entry.digest().hex().equals(item.getKey())) {
        shared.put(item.getKey(), entry);
        list.apply(entry);
      } else if (entry != null) {
        unproven.suppression(); // a proven entry copied under another digest
      }
    }
    List<SuppressionEntry> newer = new ArrayList<>();
    for (SuppressionEntry mine : list.entries()) {
      if (mine.newerThan(shared.get(mine.digest().hex()))) {
        newer.add(mine);
      }
    }
    if (!newer.isEmpty() || !shared.isEmpty()) {
      log.info("privacy: suppression list merged with the cluster's: {} entries there, {} put back from this node",
          shared.size(), newer.size());
    }
    return newer;
  }

  String sign(SuppressionEntry entry) {
    return entry.toJson().put(PROOF, key.prove(KIND, entry.fields())).encode();
  }

  /** The entry {@code raw} holds if its proof verifies, else null (counted). */
  SuppressionEntry verify(Object raw) {
    SuppressionEntry entry = null;
    String proof = null;
    if (raw instanceof String text && text.length() <= MAX_CHARS) {
      try {
        JsonObject json = new JsonObject(text);
        entry = SuppressionEntry.fromJson(json);
        proof = json.getValue(PROOF) instanceof String p ? p : null;
      } catch (DecodeException notJson) {
        entry = null;
      }
    }
    if (entry == null || !key.verifies(proof, KIND, entry.fields())) {
      unproven.suppression();
      return null;
    }
    return entry;
  }
}
