package io.gameevents.pipeline;

/**
 * One validated event on its way to the sink.
 *
 * @param appId   the game it belongs to (half of the dedup key)
 * @param eventId the client's id (the other half)
 * @param record  the warehouse record, UTF-8 JSON without trailing newline; built once, in the HTTP stage
 */
public record PipelineEvent(String appId, String eventId, byte[] record) {

  /** The longest app id the common schema allows ({@code common.v1.json#/$defs/app_id}). */
  static final int MAX_APP_ID_LENGTH = 128;

  /** Whether {@code appId} matches the common schema's app_id: 1-128 of [A-Za-z0-9._-]. */
  public static boolean isWellFormedAppId(String appId) {
    int n = appId.length();
    if (n == 0 || n > MAX_APP_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = appId.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
