package io.gameevents.debugger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gameevents.http.OperatorTools;
import io.gameevents.privacy.Subject;
import io.gameevents.privacy.SubjectRecords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * One line of the debugger: what the ingest path knew when it answered. Built on the event loop that answered,
 * so it only keeps references (the bytes and the errors were made for the answer anyway); everything else,
 * masking and leaving out properties included, happens when a subscriber first renders it. That includes the
 * event's ids: they are read from the kept bytes the first time a stream filters or renders the entry, not
 * looked up in the parsed event on the ingest path (those lookups, on a tree long out of the cache by the time
 * the answer comes back, were most of the hook's cost in the batch profile, for entries nobody might ever read).
 */
public final class Entry {

  /** Bytes of an event or record above this are not kept: 200 entries stay a few MB at most. */
  static final int MAX_KEPT_BYTES = 16 * 1024;

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  final long timeMillis;
  final String requestId;
  final String keyId;
  /** The client's address (see the HTTP stage's ClientAddress), or null. */
  final String client;
  /**
   * Needed at once, for the counts: a valid event's comes with it (the type it was validated as), so only a
   * rejected or refused event costs a lookup in its tree.
   */
  final String eventType;
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
  /** Whether a refusal for the event's content was kept (its answer's {@code kept}), or null for any other line. */
  final Boolean kept;

  /** The event's ids; null until first read from {@link #received}. */
  private volatile Ids ids;

  /** Set when a privacy erasure removed it: no stream shows it again ({@link EventRing#at}). */
  volatile boolean erased;

  /** Set by {@link EventRing#add} before the entry is published. */
  long seq;
  /** The rendered JSON, made once by the first subscriber that sends it. */
  volatile String json;

  /**
   * @param nowMillis        when the ingest path answered
   * @param nowNanos         the same moment by {@link System#nanoTime}, for the latency
   * @param eventType        the event's type, or null when it has none
   * @param received         the event's bytes as received (or the unread body), or null
   * @param receivedUnparsed true when {@code received} is a body that is not a JSON event
   * @param stored           the record the sink stored (accepted events), or null
   */
  private Entry(long nowMillis, long nowNanos, OperatorTools.Asker asker, JsonNode event, String eventType,
                Status status, JsonArray errors, String detail, byte[] received, boolean receivedUnparsed,
                byte[] stored, Boolean kept) {
    this.timeMillis = nowMillis;
    this.requestId = asker.requestId();
    this.keyId = asker.keyId();
    this.client = asker.client();
    this.latencyNanos = nowNanos - asker.startNanos();
    this.eventType = eventType;
    this.status = status;
    this.errors = errors;
    this.detail = detail;
    this.receivedBytes = received == null ? 0 : received.length;
    this.received = kept(received);
    this.receivedUnparsed = receivedUnparsed;
    this.stored = kept(stored);
    this.kept = kept;
    if (event == null) {
      this.ids = Ids.NONE;
    } else if (this.received == null || receivedUnparsed) {
      this.ids = Ids.of(event); // the bytes the event was parsed from are not kept: now or never
    }
  }

  String appId() {
    return ids().appId();
  }

  /**
   * Whether this entry shows the subject's data: its stored record names them, or the event as received does (a
   * rejected event has no record). A device is looked up in the received event's {@code context} only here, on
   * the rare erasure, never on the ingest path.
   */
  boolean belongsTo(Subject subject) {
    if (stored != null && SubjectRecords.belongsTo(subject, stored)) {
      return true;
    }
    if (subject.kind() == Subject.Kind.PLAYER) {
      return subject.matches(appId(), playerId(), null);
    }
    if (received == null || receivedUnparsed || !subject.appId().equals(appId())) {
      return false;
    }
    try {
      JsonNode device = MAPPER.readTree(received).path("context").path("device_id");
      return device.isTextual() && subject.id().equals(device.asText());
    } catch (IOException unreadable) {
      return false;
    }
  }

  String eventId() {
    return ids().eventId();
  }

  String playerId() {
    return ids().playerId();
  }

  String platform() {
    return ids().platform();
  }

  private Ids ids() {
    Ids read = ids;
    if (read == null) {
      read = Ids.read(received);
      ids = read; // two readers may both read them: the same values
    }
    return read;
  }

  /** The event's top-level text fields the page shows and filters by; null where absent or not text. */
  private record Ids(String appId, String eventId, String playerId, String platform) {
    static final Ids NONE = new Ids(null, null, null, null);

    static Ids of(JsonNode event) {
      return new Ids(text(event, "app_id"), text(event, "event_id"), text(event, "player_id"),
          text(event, "platform"));
    }

    /**
     * The same values {@link #of} gives for the tree parsed from {@code json}: top-level members only, and of a
     * name given twice the last (which the ingest path's strict parser does not let through anyway).
     */
    static Ids read(byte[] json) {
      String appId = null;
      String eventId = null;
      String playerId = null;
      String platform = null;
      try (JsonParser parser = FACTORY.createParser(json)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return NONE;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String text = parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
          switch (name) {
            case "app_id" -> appId = text;
            case "event_id" -> eventId = text;
            case "player_id" -> playerId = text;
            case "platform" -> platform = text;
            default -> {
            }
          }
          parser.skipChildren();
        }
      } catch (IOException e) {
        return NONE; // bytes that parsed on the ingest path parse here: not reached
      }
      return new Ids(appId, eventId, playerId, platform);
    }
  }

  /**
   * What the ingest path told the operator tools at {@code nowMillis} ({@code nowNanos}), as the page shows it. A
   * valid event's entry costs references only, nothing looked up (its type comes with it); what a stream shows
   * is made from them when one reads it.
   */
  static Entry of(OperatorTools.Seen seen, long nowMillis, long nowNanos) {
    OperatorTools.Asker asker = seen.asker();
    if (seen instanceof OperatorTools.Handled handled) {
      return new Entry(nowMillis, nowNanos, asker, handled.event(), handled.eventType(),
          Status.of(handled.outcome()), null, handled.detail(), handled.received(), false, handled.stored(), null);
    }
    if (seen instanceof OperatorTools.Suppressed suppressed) {
      return new Entry(nowMillis, nowNanos, asker, suppressed.event(), suppressed.eventType(), Status.SUPPRESSED,
          null, "its player or device asked not to be tracked (privacy request): stored nowhere",
          suppressed.received(), false, null, null);
    }
    if (seen instanceof OperatorTools.Rejected rejected) {
      return new Entry(nowMillis, nowNanos, asker, rejected.event(), text(rejected.event(), "event_type"),
          Status.REJECTED, rejected.errors(), null, rejected.received(), false, null, rejected.kept());
    }
    OperatorTools.Refused refused = (OperatorTools.Refused) seen;
    JsonObject problem = refused.problem();
    boolean unread = refused.unreadBody() != null;
    String eventType = refused.eventType() != null ? refused.eventType() : text(refused.event(), "event_type");
    return new Entry(nowMillis, nowNanos, asker, refused.event(), eventType, Status.ofRefusal(refused.status()),
        problem.getJsonArray("errors"), problem.getString("detail"), unread ? refused.unreadBody() : refused.received(),
        unread, null, problem.getBoolean("kept"));
  }

  private static byte[] kept(byte[] bytes) {
    return bytes != null && bytes.length <= MAX_KEPT_BYTES ? bytes : null;
  }

  private static String text(JsonNode event, String field) {
    JsonNode value = event == null ? null : event.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
