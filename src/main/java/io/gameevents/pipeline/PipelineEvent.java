package io.gameevents.pipeline;

/**
 * One validated event on its way to the sink.
 *
 * @param appId   the game it belongs to (half of the dedup key)
 * @param eventId the client's id (the other half)
 * @param record  the warehouse record, UTF-8 JSON without trailing newline; built once, in the HTTP stage
 */
public record PipelineEvent(String appId, String eventId, byte[] record) {
}
