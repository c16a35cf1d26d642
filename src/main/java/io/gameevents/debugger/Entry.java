package io.gameevents.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One line of the debugger: what the ingest path knew when it answered. Built on the event loop that answered,
 * so it only keeps references (the bytes and the errors were made for the answer anyway); everything else,
 * masking and leaving out properties included, happens when a subscriber first renders it.
 */
public final class Entry {

  /** Bytes of an event or record above this are not kept: 200 entries stay a few MB at most. */
  static final int MAX_KEPT_BYTES = 16 * 1024;

  final long timeMillis;
  final String requestId;
  final String keyId;
  final String appId;
  final String eventType;
  final String eventId;
  final String playerId;
  final String platform;
  final Status status;
  /** The errors list the client got, or null. */
  final JsonArray errors;
  /** The problem's detail when the client got one, or null. */
  final String detail;
  final long latencyNanos;
  /** The event as received (or the whole body when it could not be read as events), or null. */
  final byte[] received;
  final int receivedBytes;
  /** True when {@link #received} is a body that is not a JSON event. */
  final boolean receivedUnparsed;
  /** The stored record of an accepted event, or null. */
  final byte[] stored;

  /** Set by {@link EventRing#add} before the entry is published. */
  long seq;
  /** The rendered JSON, made once by the first subscriber that sends it. */
  volatile String json;

  private Entry(long timeMillis, String requestId, String keyId, JsonNode event, String eventType, Status status,
                JsonArray errors, String detail, long latencyNanos, byte[] received, boolean receivedUnparsed,
                byte[] stored) {
    this.timeMillis = timeMillis;
    this.requestId = requestId;
    this.keyId = keyId;
    this.appId = text(event, "app_id");
    this.eventType = eventType != null ? eventType : text(event, "event_type");
    this.eventId = text(event, "event_id");
    this.playerId = text(event, "player_id");
    this.platform = text(event, "platform");
    this.status = status;
    this.errors = errors;
    this.detail = detail;
    this.latencyNanos = latencyNanos;
    this.receivedBytes = received == null ? 0 : received.length;
    this.received = kept(received);
    this.receivedUnparsed = receivedUnparsed;
    this.stored = kept(stored);
  }

  /**
   * One event's outcome.
   *
   * @param event     the parsed event, or null (a batch element that is no JSON object)
   * @param eventType from the path ({@code /v1/events/{type}}), or null to take the event's own
   * @param received  its bytes as received, or null
   * @param stored    the record the sink stored (accepted events), or null
   * @param errors    the errors list the client got, or null
   * @param detail    the problem's detail the client got, or null
   */
  public static Entry ofEvent(String requestId, String keyId, long startNanos, JsonNode event, String eventType,
                              byte[] received, byte[] stored, Status status, JsonArray errors, String detail) {
    return new Entry(System.currentTimeMillis(), requestId, keyId, event, eventType, status, errors, detail,
        System.nanoTime() - startNanos, received, false, stored);
  }

  /**
   * A request refused before (or instead of) its events: 401, 415, a body that is not JSON, 429, 503.
   *
   * @param event   the single event, when the body was read as one, else null
   * @param body    the body, when it could not be read as events, else null
   * @param problem the problem document the client got
   */
  public static Entry ofRefusal(String requestId, String keyId, long startNanos, JsonNode event, String eventType,
                                byte[] received, byte[] body, JsonObject problem, int httpStatus) {
    return new Entry(System.currentTimeMillis(), requestId, keyId, event, eventType, Status.ofRefusal(httpStatus),
        problem.getJsonArray("errors"), problem.getString("detail"), System.nanoTime() - startNanos,
        body != null ? body : received, body != null, null);
  }

  private static byte[] kept(byte[] bytes) {
    return bytes != null && bytes.length <= MAX_KEPT_BYTES ? bytes : null;
  }

  private static String text(JsonNode event, String field) {
    JsonNode value = event == null ? null : event.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
