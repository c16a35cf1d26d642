package io.gameevents.debugger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gameevents.config.DebuggerConfig;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An entry as the stream sends it: one JSON object, with player ids masked and properties left out as the
 * config says, everywhere they appear (the fields, the event as received, the stored record and its
 * raw_payload). A credential is never in an entry: only the key's id.
 */
final class EntryView {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String node;
  private final boolean maskPlayerIds;
  private final boolean showProperties;
  /** Per process: a masked id is the same across events (to follow one player) but not a dictionary lookup. */
  private final byte[] salt = new byte[16];

  EntryView(DebuggerConfig config, String node) {
    this.node = node;
    this.maskPlayerIds = config.maskPlayerIds();
    this.showProperties = config.showProperties();
    new SecureRandom().nextBytes(salt);
  }

  String json(Entry entry) {
    String json = entry.json;
    if (json == null) {
      json = render(entry).encode();
      entry.json = json; // two subscribers may both render it: the same text
    }
    return json;
  }

  JsonObject render(Entry entry) {
    JsonObject out = new JsonObject()
        .put("seq", entry.seq)
        .put("time", Instant.ofEpochMilli(entry.timeMillis).toString())
        .put("node", node)
        .put("request_id", entry.requestId)
        .put("app_id", entry.appId())
        .put("event_type", entry.eventType)
        .put("event_id", entry.eventId())
        .put("player_id", masked(entry.playerId()))
        .put("platform", entry.platform())
        .put("key_id", entry.keyId)
        .put("client", masked(entry.client)) // an address is personal data, as a player id is
        .put("status", entry.status.wire())
        .put("latency_ms", Math.round(entry.latencyNanos / 100_000.0) / 10.0);
    if (entry.errors != null) {
      out.put("errors", entry.errors.copy());
    }
    if (entry.detail != null) {
      out.put("detail", entry.detail);
    }
    if (entry.kept != null) {
      out.put("kept", entry.kept); // kept in the refused stream, as the client's answer said
    }
    out.put("received_bytes", entry.receivedBytes);
    if (entry.received != null) {
      out.put("received", received(entry));
    } else if (entry.receivedBytes > 0) {
      out.put("received_note", "not kept: larger than " + Entry.MAX_KEPT_BYTES + " bytes");
    }
    if (entry.stored != null) {
      out.put("stored", stored(entry.stored));
    }
    return out;
  }

  private Object received(Entry entry) {
    if (entry.receivedUnparsed) {
      // text that is no event: nothing in it can be masked or left out, so it shows only when nothing must be
      return showProperties && !maskPlayerIds ? new String(entry.received, StandardCharsets.UTF_8)
          : "(not shown: the body is not a JSON event, and debugger.show_properties is off or player ids are masked)";
    }
    JsonNode event = parse(entry.received);
    return event instanceof ObjectNode object ? new JsonObject(scrub(object).toString()) : "(not a JSON object)";
  }

  private Object stored(byte[] record) {
    JsonNode parsed = parse(record);
    if (!(parsed instanceof ObjectNode object)) {
      return "(unreadable record)";
    }
    scrub(object);
    if (object.get("raw_payload") instanceof ObjectNode raw) {
      scrub(raw); // the event as received, stored beside its columns
    }
    return new JsonObject(object.toString());
  }

  private ObjectNode scrub(ObjectNode event) {
    if (!showProperties && event.has("properties")) {
      event.put("properties", "(not shown: debugger.show_properties is off)");
    }
    JsonNode player = event.get("player_id");
    if (maskPlayerIds && player != null && player.isTextual()) {
      event.put("player_id", masked(player.textValue()));
    }
    return event;
  }

  private String masked(String id) {
    if (id == null || !maskPlayerIds) {
      return id;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      byte[] digest = sha.digest(id.getBytes(StandardCharsets.UTF_8));
      return "masked:" + HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
