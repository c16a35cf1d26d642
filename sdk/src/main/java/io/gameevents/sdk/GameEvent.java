package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One game event as the v1 API expects it. Immutable: the {@code with...} methods return a copy.
 * Every check the server would certainly fail is done here, with an {@link IllegalArgumentException}
 * naming the field, so a bug shows up in the game rather than as a rejected event in production.
 * The types are {@link InstallEvent}, {@link PurchaseEvent} and, for any other registered type, {@link CustomEvent}.
 *
 * @param <E> the concrete event type, so {@code with...} keeps it
 */
public abstract class GameEvent<E extends GameEvent<E>> {

  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  /** The server's limit for player_id and product_id. */
  static final int MAX_TEXT_LENGTH = 128;
  /** RFC 3339 in UTC with milliseconds, e.g. 2026-11-24T10:15:30.123Z. */
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  /** The fields every event type shares. */
  record Common(String eventId, Instant occurredAt, String playerId, String appId, String platform,
                          int schemaVersion, JsonObject properties) {
    Common {
      requireEventId(eventId);
      Objects.requireNonNull(occurredAt, "occurred_at must not be null");
      requireText("player_id", playerId);
      if (appId == null || !APP_ID.matcher(appId).matches()) {
        throw new IllegalArgumentException(
            "app_id must be 1-128 characters of [A-Za-z0-9._-], got '" + appId + "'");
      }
      Platform.fromWireName(platform);
      if (schemaVersion < 1) {
        throw new IllegalArgumentException("schema_version must be >= 1, got " + schemaVersion);
      }
      properties = properties == null ? null : properties.copy();
    }

    static Common create(String playerId, String appId, String platform) {
      return new Common(UUID.randomUUID().toString(), Instant.now(), playerId, appId, platform, 1, null);
    }
  }

  private final Common common;

  GameEvent(Common common) {
    this.common = common;
  }

  /** The wire {@code event_type}. */
  public abstract String eventType();

  /** Adds the fields specific to this type to the payload. */
  abstract void writeTypeFields(JsonObject payload);

  /** A copy of this event with other common fields. */
  abstract E withCommon(Common common);

  public String eventId() {
    return common.eventId();
  }

  public Instant occurredAt() {
    return common.occurredAt();
  }

  public String playerId() {
    return common.playerId();
  }

  public String appId() {
    return common.appId();
  }

  public String platform() {
    return common.platform();
  }

  public int schemaVersion() {
    return common.schemaVersion();
  }

  /** A copy of the properties, or null when the event has none. */
  public JsonObject properties() {
    return common.properties() == null ? null : common.properties().copy();
  }

  /** Replaces the generated id, e.g. to resend an event the game already tracked under a known id. */
  public E withEventId(String eventId) {
    Common c = common;
    return withCommon(new Common(eventId, c.occurredAt(), c.playerId(), c.appId(), c.platform(),
        c.schemaVersion(), c.properties()));
  }

  /** Replaces the generated time of occurrence (sent with millisecond precision). */
  public E withOccurredAt(Instant occurredAt) {
    Common c = common;
    return withCommon(new Common(c.eventId(), occurredAt, c.playerId(), c.appId(), c.platform(),
        c.schemaVersion(), c.properties()));
  }

  public E withSchemaVersion(int schemaVersion) {
    Common c = common;
    return withCommon(new Common(c.eventId(), c.occurredAt(), c.playerId(), c.appId(), c.platform(),
        schemaVersion, c.properties()));
  }

  /** Replaces all properties (copied; null removes them). */
  public E withProperties(JsonObject properties) {
    Common c = common;
    return withCommon(new Common(c.eventId(), c.occurredAt(), c.playerId(), c.appId(), c.platform(),
        c.schemaVersion(), properties));
  }

  /** Adds or replaces one property; the value must be JSON-compatible (string, number, boolean, JsonObject...). */
  public E withProperty(String name, Object value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("property name must not be empty");
    }
    JsonObject properties = common.properties() == null ? new JsonObject() : common.properties().copy();
    properties.put(name, value);
    return withProperties(properties);
  }

  /**
   * The request payload without {@code sent_at}, which the client adds on every attempt.
   * Field order is stable so the payload is easy to read in logs and tests.
   */
  public JsonObject toJson() {
    JsonObject payload = new JsonObject()
        .put("event_id", common.eventId())
        .put("event_type", eventType())
        .put("occurred_at", formatTimestamp(common.occurredAt()))
        .put("player_id", common.playerId())
        .put("app_id", common.appId())
        .put("platform", common.platform())
        .put("schema_version", common.schemaVersion());
    writeTypeFields(payload);
    if (common.properties() != null) {
      payload.put("properties", common.properties().copy());
    }
    return payload;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + toJson().encode();
  }

  /** RFC 3339, UTC, milliseconds: the format of {@code occurred_at} and {@code sent_at}. */
  public static String formatTimestamp(Instant instant) {
    return RFC_3339_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  static void requireEventId(String eventId) {
    if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
      throw new IllegalArgumentException(
          "event_id must be 1-64 characters of [A-Za-z0-9._:-], got '" + eventId + "'");
    }
  }

  static String requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }
}
