package io.gameevents.privacyrequests;

import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One privacy request's state, as kept in {@code privacy.directory/requests/<id>.json} and reported by {@code GET}.
 * The raw id is here only while an erasure is pending (a store still has to run with it) and is dropped once it
 * completes; the subject is otherwise named by its digest. Mutable, guarded by {@link PrivacyRequests}' lock.
 */
final class PrivacyRequest {

  final String id;
  final RequestType type;
  final String appId;
  final Subject.Kind kind;
  /** The subject's keyed digest (hex): what the list holds, the logs and receipts name. */
  final String subjectDigest;
  final Instant receivedAt;
  /** The raw id while the request is pending; null once complete (and always for suppress and unsuppress). */
  String rawId;
  Instant completedAt;
  /** Per node, per store: what was done. */
  final Map<String, Map<String, StoreReceipt>> receipts = new LinkedHashMap<>();
  /** Per node still to report: why its last attempt failed, or "" when none has failed yet. */
  final Map<String, String> pending = new LinkedHashMap<>();

  PrivacyRequest(String id, RequestType type, String appId, Subject.Kind kind, String subjectDigest,
                 Instant receivedAt, String rawId) {
    this.id = id;
    this.type = type;
    this.appId = appId;
    this.kind = kind;
    this.subjectDigest = subjectDigest;
    this.receivedAt = receivedAt;
    this.rawId = rawId;
  }

  boolean complete() {
    return completedAt != null;
  }

  /** The same request as {@code other} asks for: same type, app and subject. */
  boolean sameAs(RequestType otherType, String otherApp, Subject.Kind otherKind, String otherDigest) {
    return type == otherType && appId.equals(otherApp) && kind == otherKind && subjectDigest.equals(otherDigest);
  }

  Subject subject() {
    return new Subject(appId, kind, rawId);
  }

  /** A short name of the subject for log lines: the start of its keyed digest, never the id. */
  String subjectHash() {
    return subjectDigest.substring(0, 16);
  }

  /** The GDPR's one month (Art. 12(3)) from receipt: when the erasure must be done by. */
  Instant deadline() {
    return receivedAt.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
  }

  /** As kept on disk: the raw id included while pending. */
  JsonObject toStored() {
    JsonObject json = toReport();
    if (rawId != null) {
      json.put("raw_id", rawId);
    }
    json.put("subject_digest", subjectDigest);
    return json;
  }

  /** As {@code GET /v1/privacy/requests/{id}} shows it: never the raw id. */
  JsonObject toReport() {
    JsonArray nodes = new JsonArray();
    receipts.forEach((node, stores) -> {
      JsonArray lines = new JsonArray();
      stores.values().forEach(receipt -> lines.add(receiptJson(receipt)));
      nodes.add(new JsonObject().put("node", node).put("state", "done").put("stores", lines));
    });
    JsonArray waiting = new JsonArray();
    pending.forEach((node, error) -> {
      JsonObject line = new JsonObject().put("node", node).put("state", "pending");
      if (!error.isEmpty()) {
        line.put("last_error", error);
      }
      nodes.add(line);
      waiting.add(node);
    });
    JsonObject json = new JsonObject().put("request_id", id).put("type", type.wire()).put("app_id", appId)
        .put("subject", kind.name().toLowerCase(Locale.ROOT)).put("subject_hash", subjectHash())
        .put("state", complete() ? "completed" : "pending").put("received_at", receivedAt.toString())
        .put("deadline", deadline().toString());
    if (completedAt != null) {
      json.put("completed_at", completedAt.toString());
    }
    return json.put("pending", waiting).put("nodes", nodes);
  }

  private static JsonObject receiptJson(StoreReceipt receipt) {
    return new JsonObject().put("store", receipt.store()).put("records_removed", receipt.recordsRemoved())
        .put("files_rewritten", receipt.filesRewritten()).put("finished_at", receipt.finishedAt().toString())
        .put("note", receipt.note());
  }

  static PrivacyRequest fromStored(JsonObject json) {
    PrivacyRequest request = new PrivacyRequest(json.getString("request_id"),
        RequestType.ofWire(json.getString("type")), json.getString("app_id"),
        Subject.Kind.valueOf(json.getString("subject").toUpperCase(Locale.ROOT)), json.getString("subject_digest"),
        Instant.parse(json.getString("received_at")), json.getString("raw_id"));
    String completed = json.getString("completed_at");
    request.completedAt = completed == null ? null : Instant.parse(completed);
    for (Object item : json.getJsonArray("nodes", new JsonArray())) {
      JsonObject node = (JsonObject) item;
      String name = node.getString("node");
      if ("pending".equals(node.getString("state"))) {
        request.pending.put(name, node.getString("last_error", ""));
        continue;
      }
      Map<String, StoreReceipt> stores = request.receipts.computeIfAbsent(name, n -> new LinkedHashMap<>());
      for (Object line : node.getJsonArray("stores", new JsonArray())) {
        JsonObject r = (JsonObject) line;
        stores.put(r.getString("store"), new StoreReceipt(r.getString("store"), r.getLong("records_removed"),
            r.getInteger("files_rewritten"), Instant.parse(r.getString("finished_at")), r.getString("note")));
      }
    }
    return request;
  }
}
