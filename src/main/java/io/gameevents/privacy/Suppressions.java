package io.gameevents.privacy;

/**
 * Whether an app's player or device has asked not to be tracked. Checked on the hot path after authentication and
 * validation and before dedup, and by every store that keeps records of its own accord (the refused events), so
 * an implementation answers from memory without blocking.
 */
public interface Suppressions {

  /** Nobody is suppressed: the node before any privacy request, and tests that don't need the list. */
  Suppressions NONE = (appId, playerId, deviceId) -> false;

  /** True when the (app, player) or the (app, device) is suppressed; either id may be null. */
  boolean suppressed(String appId, String playerId, String deviceId);
}
