package io.gameevents.privacyrequests;

import io.gameevents.cluster.ClusterKey;
import io.gameevents.cluster.Membership;
import io.gameevents.cluster.UnprovenEntries;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.util.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

/**
 * Erasures in a cluster: every node applies every erasure, including one that was down when it was sent. A request
 * is put in a Hazelcast map ({@link #REQUESTS}) with a proof of {@code cluster.secret}; each node, at start, when told
 * of a change ({@link #ADDRESS}) and when the members change, runs its stores for every proven request it has not
 * applied yet, keeps that it did in {@code privacy.directory/erasures-applied.json} (fsynced), then puts its signed
 * receipt in {@link #RECEIPTS}. A node is named by a name kept in its privacy directory, not by its Hazelcast id
 * (new at each start), so a restarted node is the same node. Every node that ever started is registered in
 * {@link #NODES}; once each registered node has applied a request (or its deadline passed), the raw id is taken out
 * of the map and only the digest stays. Entries without a valid proof are ignored and counted.
 */
public final class ClusterErasures {

  private static final Logger log = LoggerFactory.getLogger(ClusterErasures.class);
  static final String REQUESTS = "game-events.privacy.erasures";
  static final String RECEIPTS = "game-events.privacy.erasure-receipts";
  static final String NODES = "game-events.privacy.erasure-nodes";
  static final String ADDRESS = "game-events.privacy.erasure-changed";
  private static final String REQUEST_KIND = "privacy-erasure-request";
  private static final String RECEIPT_KIND = "privacy-erasure-receipt";
  private static final String NODE_KIND = "privacy-erasure-node";
  /** Entries are short; longer text is not ours and is not parsed. */
  private static final int MAX_CHARS = 16 * 1024;
  /** How often a node looks again without being told: a failed run of its stores, a deadline passed. */
  private static final long TICK_MS = 30_000;

  /** A proven erasure request, as the map holds it. {@code rawId} null once dropped. */
  record Request(String id, String appId, Subject.Kind kind, String digest, Instant receivedAt, String rawId,
                 Instant completedAt) {

    Object[] fields() {
      return new Object[] {id, appId, kind.name(), digest, receivedAt.toString(), rawId == null ? "" : rawId,
          completedAt == null ? "" : completedAt.toString()};
    }

    Instant deadline() {
      return receivedAt.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
    }
  }

  private final Vertx vertx;
  private final Membership members;
  private final NodeStores stores;
  private final ClusterKey key;
  private final UnprovenEntries unproven;
  private final Path appliedFile;
  private final Path nameFile;
  private final Clock clock;
  private final Consumer<String> completed;
  private String name;
  /** Since when this node's stores hold records (its first start): a request completed before needs nothing here. */
  private Instant since;
  private volatile AsyncMap<String, String> requests;
  private AsyncMap<String, String> receipts;
  private AsyncMap<String, String> nodes;
  /** What this node applied: request id to its receipts (JSON array). Guarded by this. */
  private final Map<String, JsonArray> applied = new HashMap<>();
  /** The cluster's state as last read, for reports. Guarded by this. */
  private Map<String, Request> seenRequests = Map.of();
  private Map<String, Map<String, JsonArray>> seenReceipts = Map.of();
  private Map<String, String> seenNodes = Map.of();
  /** One sync at a time; a change during one runs another after it. Guarded by this. */
  private boolean syncing;
  private boolean again;
  private boolean closed;

  /** @param completed told the id of each request this node saw complete */
  public ClusterErasures(Vertx vertx, Membership members, NodeStores stores, Path privacyDirectory, Clock clock,
                         Consumer<String> completed) {
    this.vertx = vertx;
    this.members = members;
    this.stores = stores;
    this.key = members.key();
    this.unproven = members.unproven();
    this.appliedFile = privacyDirectory.resolve("erasures-applied.json");
    this.nameFile = privacyDirectory.resolve("node-name");
    this.clock = clock;
    this.completed = completed;
  }

  /** This node's lasting name (kept in its privacy directory). */
  public synchronized String name() {
    return name;
  }

  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      loadLocal();
      return null;
    }, false).compose(v -> vertx.sharedData().<String, String>getAsyncMap(REQUESTS)).compose(map -> {
      requests = map;
      return vertx.sharedData().<String, String>getAsyncMap(RECEIPTS);
    }).compose(map -> {
      receipts = map;
      return vertx.sharedData().<String, String>getAsyncMap(NODES);
    }).compose(map -> {
      nodes = map;
      JsonObject self = new JsonObject().put("name", name).put("member", members.selfId());
      return nodes.put(name, self.put("proof", key.prove(NODE_KIND, name, members.selfId())).encode());
    }).onSuccess(v -> {
      vertx.eventBus().<String>consumer(ADDRESS, message -> sync());
      members.onChange(this::sync);
      vertx.setPeriodic(TICK_MS, tick -> sync());
      sync();
    });
  }

  public synchronized void close() {
    closed = true;
  }

  /** Puts a request taken on this node in the cluster's map (again after a restart: the same entry). */
  public Future<Void> add(String id, Subject subject, String digest, Instant receivedAt) {
    Request request = new Request(id, subject.appId(), subject.kind(), digest, receivedAt, subject.id(), null);
    if (requests == null) { // taken before this node joined the maps: the caller tries again
      return Future.failedFuture("the cluster's erasure map is not open yet");
    }
    return requests.get(id).compose(existing -> {
      Request known = existing == null ? null : verifyRequest(existing);
      if (known != null && known.rawId() == null) {
        return Future.succeededFuture(); // it completed already: its raw id must not come back
      }
      return requests.put(id, sign(request)).map(put -> {
        vertx.eventBus().publish(ADDRESS, id);
        return null;
      });
    });
  }

  /** The request's report as the cluster knows it, or null when it does not. */
  public synchronized JsonObject report(String id) {
    Request request = seenRequests.get(id);
    if (request == null) {
      return null;
    }
    Map<String, JsonArray> done = seenReceipts.getOrDefault(id, Map.of());
    JsonArray list = new JsonArray();
    JsonArray pending = new JsonArray();
    done.forEach((node, lines) -> list.add(new JsonObject().put("node", node).put("state", "done")
        .put("stores", lines.copy())));
    for (String node : new TreeSet<>(seenNodes.keySet())) {
      if (!done.containsKey(node)) {
        JsonObject line = new JsonObject().put("node", node).put("state", "pending");
        if (request.rawId() == null) {
          line.put("last_error", "the raw id was dropped (every node registered then had applied the request, or "
              + "its deadline passed) before this node applied it: send an erase of the subject under a new "
              + "request_id");
        }
        list.add(line);
        pending.add(node);
      }
    }
    boolean complete = pending.isEmpty();
    JsonObject json = new JsonObject().put("request_id", id).put("type", RequestType.ERASE.wire())
        .put("app_id", request.appId()).put("subject", request.kind().name().toLowerCase(Locale.ROOT))
        .put("subject_hash", request.digest().substring(0, 16)).put("state", complete ? "completed" : "pending")
        .put("received_at", request.receivedAt().toString()).put("deadline", request.deadline().toString());
    if (complete && request.completedAt() != null) {
      json.put("completed_at", request.completedAt().toString());
    }
    return json.put("pending", pending).put("nodes", list);
  }

  /** Reads the cluster's maps, applies what this node has not, puts its receipts, drops raw ids no longer needed. */
  void sync() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (syncing) {
        again = true;
        return;
      }
      syncing = true;
      again = false;
    }
    syncOnce().onComplete(done -> {
      if (done.failed()) {
        log.warn("privacy: cannot bring the cluster's erasures up to date on this node yet: {}",
            done.cause().toString());
      }
      boolean rerun;
      synchronized (this) {
        syncing = false;
        rerun = again;
      }
      if (rerun) {
        sync();
      }
    });
  }

  private Future<Void> syncOnce() {
    Map<String, String> readRequests = new HashMap<>();
    Map<String, String> readReceipts = new HashMap<>();
    return requests.entries().compose(r -> {
      readRequests.putAll(r);
      return receipts.entries();
    }).compose(r -> {
      readReceipts.putAll(r);
      return nodes.entries();
    }).compose(readNodes -> vertx.executeBlocking(() -> applyAll(readRequests, readReceipts, readNodes), false))
        .compose(this::publish);
  }

  /** What to put in the maps after a pass: signed entries by key. */
  private record Puts(Map<String, String> receipts, Map<String, String> requests) {
  }

  /** On a worker: verifies what was read, runs this node's stores for each request it lacks. */
  private Puts applyAll(Map<String, String> readRequests, Map<String, String> readReceipts,
                        Map<String, String> readNodes) throws IOException {
    Map<String, Request> proven = new HashMap<>();
    readRequests.forEach((id, raw) -> {
      Request request = verifyRequest(raw);
      if (request != null && request.id().equals(id)) {
        proven.put(id, request);
      } else if (request != null) {
        unproven.suppression();
      }
    });
    Map<String, Map<String, JsonArray>> done = new HashMap<>();
    readReceipts.forEach((k, raw) -> {
      JsonObject receipt = verifyReceipt(raw);
      if (receipt != null && k.equals(receipt.getString("request_id") + " " + receipt.getString("node"))) {
        done.computeIfAbsent(receipt.getString("request_id"), id -> new LinkedHashMap<>())
            .put(receipt.getString("node"), receipt.getJsonArray("stores"));
      } else if (receipt != null) {
        unproven.suppression();
      }
    });
    Map<String, String> known = new HashMap<>();
    readNodes.forEach((n, raw) -> {
      JsonObject node = verifyNode(raw);
      if (node != null && node.getString("name").equals(n)) {
        known.put(n, node.getString("member"));
      } else {
        unproven.suppression();
      }
    });
    Puts puts = new Puts(new HashMap<>(), new HashMap<>());
    for (Request request : proven.values()) {
      Map<String, JsonArray> its = done.computeIfAbsent(request.id(), id -> new LinkedHashMap<>());
      JsonArray mine;
      try {
        mine = appliedReceipts(request);
      } catch (IOException | RuntimeException failed) {
        // the stores are idempotent: the whole run is repeated at the next pass; other requests go on
        log.warn("privacy request {}: this node ({}) has not erased subject {} yet ({}); trying again in {} ms",
            request.id(), name, request.digest().substring(0, 16), failed.getMessage(), TICK_MS);
        mine = null;
      }
      if (mine != null && !its.containsKey(name)) {
        its.put(name, mine);
        puts.receipts().put(request.id() + " " + name, signReceipt(request.id(), mine));
      }
      if (request.rawId() != null && (known.keySet().stream().allMatch(its::containsKey)
          || clock.instant().isAfter(request.deadline()))) {
        Request dropped = new Request(request.id(), request.appId(), request.kind(), request.digest(),
            request.receivedAt(), null, clock.instant());
        proven.put(request.id(), dropped);
        puts.requests().put(request.id(), sign(dropped));
        logCompleted(dropped, its);
      }
    }
    synchronized (this) {
      seenRequests = proven;
      seenReceipts = done;
      seenNodes = known;
    }
    proven.values().stream().filter(r -> r.rawId() == null).forEach(r -> completed.accept(r.id()));
    return puts;
  }

  /** This node's receipts for {@code request}: kept ones, or a new run of its stores; null when it cannot run. */
  private JsonArray appliedReceipts(Request request) throws IOException {
    synchronized (this) {
      JsonArray kept = applied.get(request.id());
      if (kept != null) {
        return kept;
      }
    }
    JsonArray lines = new JsonArray();
    if (request.rawId() != null) {
      for (StoreReceipt receipt : stores.eraseAll(new Subject(request.appId(), request.kind(), request.rawId()))) {
        lines.add(new JsonObject().put("store", receipt.store()).put("records_removed", receipt.recordsRemoved())
            .put("files_rewritten", receipt.filesRewritten()).put("finished_at", receipt.finishedAt().toString())
            .put("note", receipt.note()));
      }
    } else if (request.completedAt() != null && since.isAfter(request.completedAt())) {
      lines.add(new JsonObject().put("store", "all").put("records_removed", 0).put("files_rewritten", 0)
          .put("finished_at", clock.instant().toString())
          .put("note", "this node first started after the request completed: it holds nothing older"));
    } else {
      return null; // the raw id is gone and this node may hold records: it stays pending, named in the report
    }
    synchronized (this) {
      applied.put(request.id(), lines);
      saveLocal();
    }
    log.info("privacy request {} (erase): applied on this node ({}) for subject {}", keyValue("privacy_request",
        request.id()), name, request.digest().substring(0, 16));
    return lines;
  }

  private Future<Void> publish(Puts puts) {
    List<Future<Void>> all = new ArrayList<>();
    puts.receipts().forEach((k, v) -> all.add(receipts.put(k, v)));
    puts.requests().forEach((k, v) -> all.add(requests.put(k, v)));
    return Future.all(all).onSuccess(v -> {
      if (!puts.receipts().isEmpty() || !puts.requests().isEmpty()) {
        vertx.eventBus().publish(ADDRESS, name);
      }
    }).mapEmpty();
  }

  private void logCompleted(Request request, Map<String, JsonArray> receipts) {
    long removed = 0;
    long rewritten = 0;
    for (JsonArray lines : receipts.values()) {
      for (Object line : lines) {
        removed += ((JsonObject) line).getLong("records_removed", 0L);
        rewritten += ((JsonObject) line).getLong("files_rewritten", 0L);
      }
    }
    log.info("privacy request {} (erase) of app {} subject {} {}: completed: suppressed, {} record(s) removed and {} "
            + "file(s) rewritten on {} node(s); the raw id is dropped from the cluster's map",
        keyValue("privacy_request", request.id()), request.appId(), request.kind().name().toLowerCase(Locale.ROOT),
        request.digest().substring(0, 16), removed, rewritten, receipts.size());
  }

  private synchronized void loadLocal() throws IOException {
    PrivateFiles.createDirectories(nameFile.getParent());
    if (Files.exists(nameFile)) {
      name = Files.readString(nameFile, StandardCharsets.UTF_8).strip();
    } else {
      name = "node-" + UUID.randomUUID();
      PrivateFiles.writeAtomically(nameFile, name + "\n");
    }
    if (Files.exists(appliedFile)) {
      JsonObject json = new JsonObject(Files.readString(appliedFile, StandardCharsets.UTF_8));
      since = Instant.parse(json.getString("since"));
      json.getJsonObject("applied", new JsonObject()).forEach(e -> applied.put(e.getKey(), (JsonArray) e.getValue()));
    } else {
      since = clock.instant();
      saveLocal();
    }
  }

  private void saveLocal() throws IOException {
    JsonObject kept = new JsonObject();
    applied.forEach(kept::put);
    PrivateFiles.writeAtomically(appliedFile, new JsonObject().put("since", since.toString()).put("applied", kept)
        .encode() + "\n");
  }

  String sign(Request request) {
    return new JsonObject().put("request_id", request.id()).put("app_id", request.appId())
        .put("kind", request.kind().name()).put("subject_digest", request.digest())
        .put("received_at", request.receivedAt().toString()).put("raw_id", request.rawId())
        .put("completed_at", request.completedAt() == null ? null : request.completedAt().toString())
        .put("proof", key.prove(REQUEST_KIND, request.fields())).encode();
  }

  private String signReceipt(String requestId, JsonArray lines) {
    return new JsonObject().put("request_id", requestId).put("node", name).put("stores", lines)
        .put("proof", key.prove(RECEIPT_KIND, requestId, name, lines.encode())).encode();
  }

  /** The request {@code raw} holds if its proof verifies, else null (counted). */
  Request verifyRequest(Object raw) {
    JsonObject json = parse(raw);
    try {
      if (json != null) {
        String completedAt = json.getString("completed_at");
        Request request = new Request(json.getString("request_id"), json.getString("app_id"),
            Subject.Kind.valueOf(json.getString("kind")), json.getString("subject_digest"),
            Instant.parse(json.getString("received_at")), json.getString("raw_id"),
            completedAt == null ? null : Instant.parse(completedAt));
        if (request.id() != null && request.appId() != null && request.digest() != null
            && key.verifies(json.getString("proof"), REQUEST_KIND, request.fields())) {
          return request;
        }
      }
    } catch (RuntimeException notOurs) {
      // counted below
    }
    unproven.suppression();
    return null;
  }

  private JsonObject verifyReceipt(Object raw) {
    JsonObject json = parse(raw);
    try {
      if (json != null && json.getString("request_id") != null && json.getString("node") != null
          && key.verifies(json.getString("proof"), RECEIPT_KIND, json.getString("request_id"),
          json.getString("node"), json.getJsonArray("stores").encode())) {
        return json;
      }
    } catch (RuntimeException notOurs) {
      // counted below
    }
    unproven.suppression();
    return null;
  }

  private JsonObject verifyNode(Object raw) {
    JsonObject json = parse(raw);
    try {
      if (json != null && json.getString("name") != null && json.getString("member") != null
          && key.verifies(json.getString("proof"), NODE_KIND, json.getString("name"), json.getString("member"))) {
        return json;
      }
    } catch (RuntimeException notOurs) {
      // counted below
    }
    return null;
  }

  private static JsonObject parse(Object raw) {
    if (raw instanceof String text && text.length() <= MAX_CHARS) {
      try {
        return new JsonObject(text);
      } catch (DecodeException notJson) {
        return null;
      }
    }
    return null;
  }

  /** The names of the nodes registered in the cluster (for tests). */
  synchronized Set<String> knownNodes() {
    return Set.copyOf(seenNodes.keySet());
  }
}
