package io.gameevents.config;

/**
 * The live event debugger ({@code GET /debugger}, opened with an {@code admin.tokens} credential).
 *
 * @param bufferSize         entries kept on this node and replayed to a new subscriber
 * @param maxEventsPerSecond what one stream sends at most; the rest is counted and reported as skipped
 * @param maxSubscribers     streams open at once on this node
 * @param maskPlayerIds      player ids shown as a stable hash instead of the id
 * @param showProperties     an event's {@code properties} shown (off: left out of every view of the event)
 */
public record DebuggerConfig(int bufferSize, int maxEventsPerSecond, int maxSubscribers, boolean maskPlayerIds,
                             boolean showProperties) {

  public static final DebuggerConfig DEFAULTS = new DebuggerConfig(200, 50, 4, false, false);

  static DebuggerConfig from(Section s) {
    DebuggerConfig config = new DebuggerConfig(
        s.intValue("buffer_size", DEFAULTS.bufferSize(), 1, 100_000),
        s.intValue("max_events_per_second", DEFAULTS.maxEventsPerSecond(), 1, 100_000),
        s.intValue("max_subscribers", DEFAULTS.maxSubscribers(), 1, 1000),
        s.bool("mask_player_ids", DEFAULTS.maskPlayerIds()),
        // off unless asked for: properties are a game's own data, the production default shows none
        s.bool("show_properties", DEFAULTS.showProperties()));
    s.done();
    return config;
  }
}
