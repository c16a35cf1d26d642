package io.gameevents.http.refused;

import io.gameevents.util.Utf8;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;

/**
 * One refused event as the refused stream holds it: one NDJSON line (the shared contract of
 * docs/refused-events.md, which the replay and the warehouse read). The event's bytes are kept exactly: as a JSON
 * string when they are UTF-8 (decoding the line gives them back byte for byte), else as base64.
 *
 * @param refusedAt     when the service received the request
 * @param schemaVersion the version the event was checked against, or null
 * @param problemType   the refusal's problem type, without its URN prefix ({@code invalid-event})
 * @param reasons       {@code [{"pointer":..., "message":...}]}, as the answer listed them
 * @param payload       the event's bytes as received (the whole body when it was not JSON)
 */
public record RefusedRecord(Instant refusedAt, String requestId, String keyId, String appId, String eventType,
                            String eventId, Integer schemaVersion, String appVersion, String sdkName, String sdkVersion,
                            String problemType, JsonArray reasons, byte[] payload) {

  /**
   * {@code refused_at} as the events' {@code received_at} is written (UTC, always milliseconds): a replayed event's
   * {@code received_at} is this time, so it must be one a record can hold, not a finer one it would round.
   */
  private static final DateTimeFormatter UTC_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The line, without its newline; at most {@code maxPayloadBytes} of the payload are kept. */
  public byte[] encode(int maxPayloadBytes) {
    boolean truncated = payload.length > maxPayloadBytes;
    byte[] kept = truncated ? Arrays.copyOf(payload, utf8Boundary(payload, maxPayloadBytes)) : payload;
    JsonObject line = new JsonObject()
        .put("refused_at", UTC_MILLIS.format(refusedAt))
        .put("request_id", requestId)
        .put("key_id", keyId)
        .put("app_id", appId)
        .put("event_type", eventType)
        .put("event_id", eventId)
        .put("schema_version", schemaVersion)
        .put("app_version", appVersion)
        .put("sdk_name", sdkName)
        .put("sdk_version", sdkVersion)
        .put("problem_type", problemType)
        .put("reasons", reasons);
    if (Utf8.firstInvalid(kept) < 0) {
      line.put("payload", new String(kept, StandardCharsets.UTF_8));
    } else {
      line.put("payload_base64", Base64.getEncoder().encodeToString(kept));
    }
    return line.put("payload_truncated", truncated).toBuffer().getBytes();
  }

  /**
   * Where to cut UTF-8 text at most {@code max} bytes long without splitting a character, so cut text stays
   * text (and a string); bytes that are not UTF-8 go to base64 anyway.
   */
  static int utf8Boundary(byte[] bytes, int max) {
    int cut = max;
    while (cut > 0 && cut > max - 4 && (bytes[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return (bytes[cut] & 0xC0) == 0x80 ? max : cut;
  }
}
