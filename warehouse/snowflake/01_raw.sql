-- game_events_raw: every record as the service wrote it, loaded by Amazon Data Firehose with
-- DataLoadingOption = JSON_MAPPING (each top-level key of the record into the column of that name).
-- Exactly the record's columns, in the record's order (io.gameevents.http.validation.RecordColumn), plus
-- event_date, computed from occurred_at. Run as a role that owns the schema (see warehouse/README.md for
-- the loader role, its grants and the key-pair user Firehose signs in as).
--
-- Nullable unless the service always writes a value: a column a later schema version adds is nullable too
-- (warehouse/README.md, "Schema versions"). raw_payload always holds the whole event as received.
CREATE TABLE IF NOT EXISTS game_events_raw (
  event_id           VARCHAR(64)      NOT NULL,
  event_type         VARCHAR(64)      NOT NULL,
  schema_version     NUMBER(9, 0)     NOT NULL,
  occurred_at        TIMESTAMP_TZ(3)  NOT NULL,  -- UTC, after clock-skew correction
  client_occurred_at TIMESTAMP_TZ(9)  NOT NULL,  -- as the device sent it, with its offset
  received_at        TIMESTAMP_TZ(3)  NOT NULL,
  player_id          VARCHAR(128)     NOT NULL,
  app_id             VARCHAR(128)     NOT NULL,
  platform           VARCHAR(16)      NOT NULL,
  product_id         VARCHAR(128),
  quantity           NUMBER(10, 0),
  amount_micros      NUMBER(16, 0),              -- millionths of the currency unit: 4.99 EUR is 4990000
  currency           VARCHAR(3),                 -- ISO 4217
  app_version        VARCHAR,
  os                 VARCHAR,
  os_version         VARCHAR,
  device_model       VARCHAR,
  device_id          VARCHAR,
  locale             VARCHAR,
  country            VARCHAR,
  session_id         VARCHAR,
  properties         VARIANT,
  raw_payload        VARIANT                     NOT NULL,
  replayed_at        TIMESTAMP_TZ(3),            -- set when an operator replayed a refused event; NULL otherwise
  -- a virtual column: computed from occurred_at (stored in UTC), never sent by the loader
  event_date         DATE AS (TO_DATE(occurred_at))
)
-- lowest to highest cardinality, as Snowflake advises for clustering keys
CLUSTER BY (event_date, event_type, app_id)
COMMENT = 'game-events records as loaded by Firehose (JSON_MAPPING); one row per delivered copy';

-- A table created before replay existed gets its column (NULL in the rows already there).
ALTER TABLE game_events_raw ADD COLUMN IF NOT EXISTS replayed_at TIMESTAMP_TZ(3);
