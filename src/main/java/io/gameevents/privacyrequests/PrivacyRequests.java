package io.gameevents.privacyrequests;

import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.suppression.SuppressionEntry;
import io.gameevents.suppression.SuppressionList;
import io.gameevents.util.PrivateFiles;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

/**
 * Takes privacy requests, keeps each in {@code privacy.directory/requests/<id>.json} (written whole, fsynced) and
 * carries it out: suppress and unsuppress change the list at once; erase suppresses, then asks every node that holds
 * records to run its stores, and completes once each node reported its receipts. A node whose run failed is asked
 * again every {@code retryMs}; a request still pending at a restart resumes. Each request is one INFO line, naming
 * it by its id and the subject's keyed digest, never the raw id.
 */
public final class PrivacyRequests {

  private static final Logger log = LoggerFactory.getLogger(PrivacyRequests.class);

  /** What {@link #submit} made of a request. */
  public sealed interface Submitted permits Accepted, Conflict {
  }

  /** Taken ({@code existing}: the same request was taken before under this id): its report. */
  public record Accepted(JsonObject report, boolean existing) implements Submitted {
  }

  /** The client's request id already names a request that asks something else. */
  public record Conflict(String requestId) implements Submitted {
  }

  /** A request as the API read it; {@code requestId} null to have one made. */
  public record Submission(String requestId, RequestType type, Subject subject) {
  }

  private final Vertx vertx;
  private final Path directory;
  private final SuppressionList list;
  private final ErasureNodes nodes;
  private final Clock clock;
  private final long retryMs;
  private final Consumer<SuppressionEntry> announce;
  /** Every request, by id. Guarded by this. */
  private final Map<String, PrivacyRequest> requests = new HashMap<>();
  /** In a cluster: carries each erasure to every node, including one that is down now. Null alone. */
  private ClusterErasures cluster;
  /** Set when the node stops: no retry is started and no late answer is written any more. Guarded by this. */
  private boolean closed;

  public PrivacyRequests(Vertx vertx, Path privacyDirectory, SuppressionList list, ErasureNodes nodes, Clock clock,
                         long retryMs) {
    this(vertx, privacyDirectory, list, nodes, clock, retryMs, entry -> {
    });
  }

  /** @param announce told of each change this node made to the list (a cluster carries it to the other nodes) */
  public PrivacyRequests(Vertx vertx, Path privacyDirectory, SuppressionList list, ErasureNodes nodes, Clock clock,
                         long retryMs, Consumer<SuppressionEntry> announce) {
    this.announce = announce;
    this.vertx = vertx;
    this.directory = privacyDirectory.resolve("requests");
    this.list = list;
    this.nodes = nodes;
    this.clock = clock;
    this.retryMs = retryMs;
  }

  /**
   * Erasures then go through the cluster's map rather than to the members seen now: every node applies each
   * one, also a node that was down; the report is the cluster's. Before {@link #start}.
   */
  public synchronized void distributeWith(ClusterErasures erasures) {
    this.cluster = erasures;
  }

  /** The cluster saw {@code id} complete: the raw id this node kept for it goes. */
  public void clusterCompleted(String id) {
    vertx.executeBlocking(() -> {
      synchronized (this) {
        PrivacyRequest request = requests.get(id);
        if (request != null && !request.complete()) {
          request.completedAt = clock.instant();
          request.rawId = null;
          save(request);
        }
      }
      return null;
    }, false).onFailure(e -> log.error("privacy request {}: cannot keep its state: {}", id, e.toString()));
  }

  /** Loads the kept requests and resumes the pending ones. */
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      load();
      return null;
    }, false).onSuccess(loaded -> {
      for (PrivacyRequest request : pendingRequests()) {
        log.info("privacy request {} resumed: {} of subject {} still pending{}", request.id, request.type.wire(),
            request.subjectHash(), cluster != null ? " (put in the cluster's map again)" : " on "
                + request.pending.keySet());
        run(request);
      }
    }).mapEmpty();
  }

  /** Alone: asks this node's stores; in a cluster: puts the request in the cluster's map (again, if resumed). */
  private void run(PrivacyRequest request) {
    ClusterErasures erasures;
    Subject subject;
    synchronized (this) {
      erasures = cluster;
      if (erasures == null || request.complete() || request.rawId == null) {
        erasures = null;
      }
      subject = request.subject();
    }
    if (erasures == null) {
      ask(request);
      return;
    }
    erasures.add(request.id, subject, request.subjectDigest, request.receivedAt).onFailure(e -> {
      log.warn("privacy request {}: not in the cluster's map yet ({}); trying again in {} ms", request.id,
          e.toString(), retryMs);
      vertx.setTimer(retryMs, timer -> {
        synchronized (this) {
          if (closed) {
            return;
          }
        }
        run(request);
      });
    });
  }

  public Future<Submitted> submit(Submission submission) {
    return vertx.<Submitted>executeBlocking(() -> take(submission), false).onSuccess(submitted -> {
      if (submitted instanceof Accepted accepted && !accepted.existing()
          && "pending".equals(accepted.report().getString("state"))) {
        PrivacyRequest request;
        synchronized (this) {
          request = requests.get(accepted.report().getString("request_id"));
        }
        run(request);
      }
    });
  }

  /** Stops retrying; what is pending stays on disk and resumes at the next start. */
  public synchronized void close() {
    closed = true;
  }

  /** The request's report, or null when no request has that id. */
  public synchronized JsonObject report(String id) {
    JsonObject clusters = cluster == null ? null : cluster.report(id);
    if (clusters != null) {
      return clusters;
    }
    PrivacyRequest request = requests.get(id);
    return request == null ? null : request.toReport();
  }

  private synchronized Submitted take(Submission submission) throws IOException {
    Subject subject = submission.subject();
    String digest = list.digest(subject).hex();
    String id = submission.requestId() != null ? submission.requestId() : UUID.randomUUID().toString();
    PrivacyRequest known = requests.get(id);
    if (known != null) {
      return known.sameAs(submission.type(), subject.appId(), subject.kind(), digest)
          ? new Accepted(known.toReport(), true) : new Conflict(id);
    }
    PrivacyRequest request = new PrivacyRequest(id, submission.type(), subject.appId(), subject.kind(), digest,
        clock.instant(), submission.type() == RequestType.ERASE ? subject.id() : null);
    boolean suppressed = submission.type() != RequestType.UNSUPPRESS;
    SuppressionEntry entry = new SuppressionEntry(subject.appId(), subject.kind(), list.digest(subject), suppressed,
        request.receivedAt.toEpochMilli(), id);
    boolean changed = list.apply(entry);
    if (changed) {
      announce.accept(entry);
    }
    if (submission.type() == RequestType.ERASE) {
      if (cluster == null) { // in a cluster, the cluster's map says which nodes have applied it
        nodes.nodes().forEach(node -> request.pending.put(node, ""));
      }
    } else {
      request.completedAt = clock.instant();
      log.info("privacy request {} ({}) of app {} subject {} {}: {}", keyValue("privacy_request", id),
          submission.type().wire(), subject.appId(), kindWord(request), request.subjectHash(),
          changed ? (suppressed ? "suppressed: its new events are stored nowhere" : "suppression lifted: its events "
              + "are stored again") : "no change (an equal or later request decided it already)");
    }
    requests.put(id, request);
    save(request);
    return new Accepted(request.toReport(), false);
  }

  /** Asks every node still pending; each answer is recorded as it comes. */
  private void ask(PrivacyRequest request) {
    List<String> waiting;
    Subject subject;
    synchronized (this) {
      if (request.complete()) {
        return;
      }
      waiting = List.copyOf(request.pending.keySet());
      subject = request.subject();
    }
    for (String node : waiting) {
      nodes.erase(node, subject).onComplete(result -> vertx.executeBlocking(() -> {
        record(request, node, result);
        return null;
      }, false).onFailure(e -> log.error("privacy request {}: cannot keep its state: {}", request.id, e.toString())));
    }
  }

  private synchronized void record(PrivacyRequest request, String node, AsyncResult<List<StoreReceipt>> result)
      throws IOException {
    if (closed || request.complete() || !request.pending.containsKey(node)) {
      return;
    }
    if (result.failed()) {
      String error = String.valueOf(result.cause().getMessage());
      request.pending.put(node, error);
      save(request);
      log.warn("privacy request {}: node {} has not erased subject {} yet ({}); asking again in {} ms", request.id,
          node, request.subjectHash(), error, retryMs);
      vertx.setTimer(retryMs, timer -> retry(request, node));
      return;
    }
    Map<String, StoreReceipt> stores = new LinkedHashMap<>();
    result.result().forEach(receipt -> stores.put(receipt.store(), receipt));
    request.receipts.put(node, stores);
    request.pending.remove(node);
    if (request.pending.isEmpty()) {
      request.completedAt = clock.instant();
      request.rawId = null; // the last place the raw id was kept
      long removed = request.receipts.values().stream().flatMap(s -> s.values().stream())
          .mapToLong(StoreReceipt::recordsRemoved).sum();
      int rewritten = request.receipts.values().stream().flatMap(s -> s.values().stream())
          .mapToInt(StoreReceipt::filesRewritten).sum();
      log.info("privacy request {} (erase) of app {} subject {} {}: completed: suppressed, {} record(s) removed and {} "
              + "file(s) rewritten on {} node(s)", keyValue("privacy_request", request.id), request.appId,
          kindWord(request), request.subjectHash(), removed, rewritten, request.receipts.size());
    }
    save(request);
  }

  private void retry(PrivacyRequest request, String node) {
    Subject subject;
    synchronized (this) {
      if (closed || request.complete() || !request.pending.containsKey(node)) {
        return;
      }
      subject = request.subject();
    }
    nodes.erase(node, subject).onComplete(result -> vertx.executeBlocking(() -> {
      record(request, node, result);
      return null;
    }, false));
  }

  private static String kindWord(PrivacyRequest request) {
    return request.kind == Subject.Kind.PLAYER ? "player" : "device";
  }

  private synchronized List<PrivacyRequest> pendingRequests() {
    return requests.values().stream().filter(request -> !request.complete()).toList();
  }

  private void save(PrivacyRequest request) throws IOException {
    PrivateFiles.createDirectories(directory);
    PrivateFiles.writeAtomically(directory.resolve(request.id + ".json"), request.toStored().encodePrettily() + "\n");
  }

  private synchronized void load() throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
      for (Path file : files) {
        try {
          PrivacyRequest request = PrivacyRequest.fromStored(new JsonObject(Files.readString(file,
              StandardCharsets.UTF_8)));
          requests.put(request.id, request);
        } catch (RuntimeException unreadable) {
          log.error("privacy: request file {} is unreadable and was skipped: {}", file.toAbsolutePath(),
              unreadable.toString());
        }
      }
    }
  }
}
