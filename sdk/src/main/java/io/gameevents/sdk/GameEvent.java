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

  /**
   * The fields every event type shares. {@code appId} and {@code platform} may be null: the client fills them in
   * from its config; {@code context} is never null (empty when unset).
   */
  record Common(String eventId, Instant occurredAt, String playerId, String appId, String platform,
                int schemaVersion, JsonObject properties, EventContext context) {
    Common {
      requireEventId(eventId);
      Objects.requireNonNull(occurredAt, "occurred_at must not be null");
      requireText("player_id", playerId);
      if (appId != null) {
        requireAppId(appId);
      }
      if (platform != null) {
        Platform.fromWireName(platform);
      }
      if (schemaVersion < 1) {
        throw new IllegalArgumentException("schema_version must be >= 1, got " + schemaVersion);
      }
      properties = properties == null ? null : properties.copy();
      context = context == null ? EventContext.empty() : context;
    }

    static Common create(String playerId, String appId, String platform) {
      return new Common(UUID.randomUUID().toString(), Instant.now(), playerId, appId, platform, 1, null, null);
    }

    Common withEventId(String eventId) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withOccurredAt(Instant occurredAt) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withAppId(String appId) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withPlatform(String platform) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withSchemaVersion(int schemaVersion) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withProperties(JsonObject properties) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
    }

    Common withContext(EventContext context) {
      return new Common(eventId, occurredAt, playerId, appId, platform, schemaVersion, properties, context);
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

  /** The event's own context (empty when unset); the client adds its own to it when sending. */
  public EventContext context() {
    return common.context();
  }

  /** A copy of the properties, or null when the event has none. */
  public JsonObject properties() {
    return common.properties() == null ? null : common.properties().copy();
  }

  /** Replaces the generated id, e.g. to resend an event the game already tracked under a known id. */
  public E withEventId(String eventId) {
    return withCommon(common.withEventId(eventId));
  }

  /** Replaces the generated time of occurrence (sent with millisecond precision). */
  public E withOccurredAt(Instant occurredAt) {
    return withCommon(common.withOccurredAt(occurredAt));
  }

  /** Sets app_id for this event (null: the client's {@code appId}). */
  public E withAppId(String appId) {
    return withCommon(common.withAppId(appId));
  }

  /** Sets the platform for this event, a wire name of {@link Platform} (null: the client's {@code platform}). */
  public E withPlatform(String platform) {
    return withCommon(common.withPlatform(platform));
  }

  public E withSchemaVersion(int schemaVersion) {
    return withCommon(common.withSchemaVersion(schemaVersion));
  }

  /** Replaces all properties (copied; null removes them). */
  public E withProperties(JsonObject properties) {
    return withCommon(common.withProperties(properties));
  }

  /** Sets this event's context; its fields override the client's, field by field (null: the client's only). */
  public E withContext(EventContext context) {
    return withCommon(common.withContext(context));
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
   * The event's payload without {@code sent_at}, which the client adds on every attempt, and without what the
   * client fills in (app_id, platform and context fields the event does not set). Field order is stable so the
   * payload is easy to read in logs and tests.
   */
  public JsonObject toJson() {
    return toJson(null, null, EventContext.empty());
  }

  /**
   * The payload as a client with these defaults sends it (without sent_at). {@code context} is sent only when
   * the event or the client has one, so a client that sets none talks to a server of any v1 version.
   *
   * @throws IllegalArgumentException when neither the event nor the defaults give app_id or platform
   */
  JsonObject toJson(String defaultAppId, String defaultPlatform, EventContext defaultContext) {
    String appId = common.appId() != null ? common.appId() : defaultAppId;
    String platform = common.platform() != null ? common.platform() : defaultPlatform;
    JsonObject payload = new JsonObject()
        .put("event_id", common.eventId())
        .put("event_type", eventType())
        .put("occurred_at", formatTimestamp(common.occurredAt()))
        .put("player_id", common.playerId());
    if (appId != null) {
      payload.put("app_id", appId);
    }
    if (platform != null) {
      payload.put("platform", platform);
    }
    payload.put("schema_version", common.schemaVersion());
    writeTypeFields(payload);
    EventContext context = common.context().over(defaultContext);
    if (!context.isEmpty()) {
      payload.put("context", context.toJson());
    }
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
    return PrintableText.requireId(field, value, MAX_TEXT_LENGTH);
  }

  static String requireAppId(String appId) {
    if (appId == null || !APP_ID.matcher(appId).matches()) {
      throw new IllegalArgumentException("app_id must be 1-128 characters of [A-Za-z0-9._-], got '" + appId + "'");
    }
    return appId;
  }
}
