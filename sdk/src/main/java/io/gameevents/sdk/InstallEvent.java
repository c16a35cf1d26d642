package io.gameevents.sdk;

import io.vertx.core.json.JsonObject;

/** The first start of the game on a device ({@code event_type} "install"). */
public final class InstallEvent extends GameEvent<InstallEvent> {

  public static final String TYPE = "install";

  private InstallEvent(Common common) {
    super(common);
  }

  /**
   * A new install event with a random event_id and occurred_at = now.
   *
   * @param platform a wire name of {@link Platform}, e.g. "ios"
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static InstallEvent create(String playerId, String appId, String platform) {
    return new InstallEvent(Common.create(playerId, appId, platform));
  }

  /**
   * An install whose app_id and platform come from the client config
   * ({@link GameEventClientConfig.Builder#appId}, {@link GameEventClientConfig.Builder#platform}).
   */
  public static InstallEvent create(String playerId) {
    return create(playerId, null, null);
  }

  @Override
  public String eventType() {
    return TYPE;
  }

  @Override
  void writeTypeFields(JsonObject payload) {
    // an install has no fields of its own
  }

  @Override
  InstallEvent withCommon(Common common) {
    return new InstallEvent(common);
  }
}
