-- game_events_refused: every refused event the service kept (delivery.firehose.refused_stream_name), loaded by
-- its own Firehose stream with DataLoadingOption = JSON_MAPPING, exactly the refused record's keys in their order
-- (the query tool's RefusedColumns, whose game_events_refused view is this table's local twin), plus refused_date.
-- payload is the event's bytes as the game sent them (text), payload_base64 when they were not UTF-8; reasons is
-- the list of {pointer, message} that refused it. Nothing here is a stored event: replay (docs/refused-events.md)
-- sends those a schema now accepts back through the service, which stores them in game_events_raw.
CREATE TABLE IF NOT EXISTS game_events_refused (
  refused_at         TIMESTAMP_TZ(3)  NOT NULL,  -- when the service received the event (UTC)
  request_id         VARCHAR(64),
  key_id             VARCHAR(128)     NOT NULL,  -- the API key's configured id (never the key)
  app_id             VARCHAR,                    -- as the event named it: refused events are not checked values
  event_type         VARCHAR,
  event_id           VARCHAR,
  schema_version     NUMBER(9, 0),               -- the version it was checked against
  app_version        VARCHAR,                    -- context.app_version: which build sent it
  sdk_name           VARCHAR,
  sdk_version        VARCHAR,
  problem_type       VARCHAR(64)      NOT NULL,  -- invalid-event, unknown-event-type, malformed-request...
  reasons            VARIANT,                    -- [{"pointer": "/currency", "message": "..."}]
  payload            VARCHAR,
  payload_base64     VARCHAR,
  payload_truncated  BOOLEAN,
  -- a virtual column: computed from refused_at (stored in UTC), never sent by the loader
  refused_date       DATE AS (TO_DATE(refused_at))
)
CLUSTER BY (refused_date, event_type)
COMMENT = 'game-events refused events as loaded by Firehose (JSON_MAPPING); one row per delivered copy';

-- one row per reason, for grouping by field: which build breaks which field
CREATE OR REPLACE VIEW game_events_refused_reasons AS
SELECT r.refused_at, r.refused_date, r.app_id, r.event_type, r.app_version, r.problem_type,
       reason.value:pointer::VARCHAR AS pointer, reason.value:message::VARCHAR AS message
FROM game_events_refused r, LATERAL FLATTEN(input => r.reasons) reason;
