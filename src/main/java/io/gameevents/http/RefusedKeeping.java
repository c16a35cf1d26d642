package io.gameevents.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gameevents.http.auth.Principal;
import io.gameevents.http.problem.Reason;
import io.gameevents.http.validation.Validation;
import io.gameevents.http.refused.RefusedRecord;
import io.gameevents.http.refused.RefusedStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest path's side of keeping refused events (docs/refused-events.md): which refusals may be kept, their
 * records, and whether each was kept, which its answer then says ({@code "kept"}). Kept: an event refused for its
 * content (schema, data quality, unknown type or version, a body that is not JSON) from a credential allowed to
 * write its app. Not kept: what is refused before the body or for the credential (401, 403, 413, 429, 503), and a
 * suppressed player's or device's event.
 */
final class RefusedKeeping {

  /** One refusal the answer will report on; {@code line} null when it may not be kept at all. */
  record Candidate(byte[] line, String problemType, String appVersion) {
  }

  private final RefusedStore store;
  private final RefusedStore.Writer writer;

  RefusedKeeping(RefusedStore store, RefusedStore.Writer writer) {
    this.store = store;
    this.writer = writer;
  }

  /** Whether a refusal of this reason is about the event's content, so that it is answered with "kept". */
  static boolean forContent(Reason reason) {
    return reason == Reason.INVALID_EVENT || reason == Reason.UNKNOWN_EVENT_TYPE
        || reason == Reason.UNKNOWN_SCHEMA_VERSION || reason == Reason.MALFORMED_REQUEST;
  }

  /** An event refused by validation, with the reasons its answer lists. */
  Candidate event(RoutingContext ctx, Principal principal, Instant receivedAt, BodyDecoder.RawEvent event,
                  String endpointType, Validation.Invalid invalid, JsonArray reasons) {
    JsonNode node = event.node();
    String appId = text(node, "app_id");
    JsonNode context = node.get("context");
    String appVersion = text(context, "app_version");
    String problemType = invalid.reason().type();
    boolean writable = appId == null || principal.mayWrite(appId);
    if (!store.keeps() || !writable
        || store.suppressed(appId, text(node, "player_id"), text(context, "device_id"))) {
      return new Candidate(null, problemType, appVersion);
    }
    JsonNode sdk = context == null ? null : context.get("sdk");
    // the contract's event_type is the event's own; the path's stands in only when the event names none, as
    // replay reads it (an event naming another type than its path's is refused for that, and replayed as itself)
    String ownType = text(node, "event_type");
    String eventType = ownType != null ? ownType : endpointType;
    RefusedRecord record = new RefusedRecord(receivedAt, RequestIds.of(ctx), principal.credentialId(), appId,
        eventType, text(node, "event_id"), invalid.schemaVersion(), appVersion, text(sdk, "name"),
        text(sdk, "version"), problemType, reasons, event.raw());
    return new Candidate(record.encode(store.maxPayloadBytes()), problemType, appVersion);
  }

  /** A body (or a batch element) that is not a JSON event: its raw bytes, bounded. */
  Candidate unreadable(RoutingContext ctx, Principal principal, Instant receivedAt, String endpointType, byte[] raw,
                       Reason reason, JsonArray reasons) {
    if (!store.keeps() || raw == null) {
      return new Candidate(null, reason.type(), null);
    }
    RefusedRecord record = new RefusedRecord(receivedAt, RequestIds.of(ctx), principal.credentialId(), null,
        endpointType, null, null, null, null, null, reason.type(), reasons, raw);
    return new Candidate(record.encode(store.maxPayloadBytes()), reason.type(), null);
  }

  /**
   * Keeps what the budget of this (credential, client address) lets through, in one write; completes with one
   * flag per candidate, never fails. Each refusal is counted, kept or not.
   */
  Future<boolean[]> keep(RoutingContext ctx, Principal principal, List<Candidate> candidates) {
    boolean[] kept = new boolean[candidates.size()];
    List<Integer> indexes = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).line() != null) {
        indexes.add(i);
      }
    }
    int admitted = indexes.isEmpty() ? 0 : store.admit(principal.credentialId(), addressGroup(ctx), indexes.size());
    List<byte[]> lines = new ArrayList<>(admitted);
    for (int j = 0; j < admitted; j++) {
      lines.add(candidates.get(indexes.get(j)).line());
    }
    Future<Boolean> written = lines.isEmpty() ? Future.succeededFuture(false) : writer.keep(lines);
    return written.map(ok -> {
      for (int j = 0; j < admitted; j++) {
        kept[indexes.get(j)] = ok;
      }
      for (int i = 0; i < kept.length; i++) {
        store.count(candidates.get(i).problemType(), candidates.get(i).appVersion(), kept[i]);
      }
      return kept;
    });
  }

  private static String addressGroup(RoutingContext ctx) {
    ClientAddress client = ClientAddress.of(ctx);
    return client == null ? "" : client.group();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
