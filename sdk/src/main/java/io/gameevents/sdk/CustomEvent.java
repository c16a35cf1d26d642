package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/**
 * An event of a type registered on the server beyond install and purchase (e.g. "level_up"),
 * sent to {@code POST /v1/events}. Its data goes in {@code properties}.
 */
public final class CustomEvent extends GameEvent<CustomEvent> {

  /** The server's rule for registered type names: lower_snake_case, at most 64 characters. */
  private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final String eventType;

  private CustomEvent(Common common, String eventType) {
    super(common);
    if (eventType == null || !TYPE_NAME.matcher(eventType).matches()) {
      throw new IllegalArgumentException(
          "event_type must be lower_snake_case, 1-64 characters, got '" + eventType + "'");
    }
    this.eventType = eventType;
  }

  /**
   * A new event of a custom type with a random event_id and occurred_at = now.
   *
   * @param properties the event's data (copied; may be null)
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static CustomEvent create(String eventType, String playerId, String appId, String platform,
                                   JsonObject properties) {
    return new CustomEvent(Common.create(playerId, appId, platform).withProperties(properties), eventType);
  }

  /**
   * A custom event whose app_id and platform come from the client config
   * ({@link GameEventClientConfig.Builder#appId}, {@link GameEventClientConfig.Builder#platform}).
   */
  public static CustomEvent create(String eventType, String playerId, JsonObject properties) {
    return create(eventType, playerId, null, null, properties);
  }

  @Override
  public String eventType() {
    return eventType;
  }

  @Override
  void writeTypeFields(JsonObject payload) {
    // a custom event carries its data in properties
  }

  @Override
  CustomEvent withCommon(Common common) {
    return new CustomEvent(common, eventType);
  }
}
