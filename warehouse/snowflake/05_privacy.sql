-- Erasure in the warehouse (docs/privacy.md, "Snowflake"). The service holds no Snowflake credentials: an erasure
-- reaches the warehouse as a tombstone record that Firehose loads into game_events_raw like an event:
--   event_type '_tombstone', app_id, received_at, properties {"subject": "player"|"device", "subject_hash": "<hex>"}
-- where subject_hash = SHA2(salt || CHR(10) || app_id || CHR(10) || the player's (or device's) id, 256) and salt is
-- the service's privacy.tombstone_salt. A task deletes from game_events_raw every row of that subject received up
-- to the tombstone; the dynamic table game_events_clean and the marts over it follow on their next refresh.
-- Tombstone rows are kept: they hold no id, only the salted hash, and they are the warehouse's record of what was
-- erased (game_events_clean leaves them out). Run as the role that owns the schema, after 01-04.

-- A tombstone has no player, platform, device time or payload: those columns take NULL from now on (every event the
-- service writes still has them).
ALTER TABLE game_events_raw ALTER COLUMN client_occurred_at DROP NOT NULL;
ALTER TABLE game_events_raw ALTER COLUMN player_id DROP NOT NULL;
ALTER TABLE game_events_raw ALTER COLUMN platform DROP NOT NULL;
ALTER TABLE game_events_raw ALTER COLUMN raw_payload DROP NOT NULL;

-- The salt, one row; insert the service's privacy.tombstone_salt once:
--   INSERT INTO privacy_tombstone_salt (salt) VALUES ('<the same value as the service>');
-- Grant it to no analyst role: with the salt, a guessed player id can be checked against a tombstone.
CREATE TABLE IF NOT EXISTS privacy_tombstone_salt (
  salt VARCHAR NOT NULL
);

-- What Firehose inserted since the task last ran (deletes are not news: APPEND_ONLY).
CREATE STREAM IF NOT EXISTS game_events_raw_inserts ON TABLE game_events_raw APPEND_ONLY = TRUE;

-- Hourly, when anything arrived: the subjects of the new tombstones lose every row received up to their tombstone
-- (a player who later opts in again keeps what comes after). The DELETE reads the stream, so its offset moves on
-- even when no tombstone came; the hash is computed only for rows of an app that has a new tombstone.
CREATE OR REPLACE TASK game_events_apply_tombstones
  WAREHOUSE = game_events_wh
  SCHEDULE = '60 MINUTE'
  WHEN SYSTEM$STREAM_HAS_DATA('GAME_EVENTS_RAW_INSERTS')
AS
DELETE FROM game_events_raw
WHERE game_events_raw.event_type <> '_tombstone'
  AND EXISTS (
    SELECT 1
    FROM game_events_raw_inserts AS tombstone, privacy_tombstone_salt AS salted
    WHERE tombstone.event_type = '_tombstone'
      AND tombstone.app_id = game_events_raw.app_id
      AND game_events_raw.received_at <= tombstone.received_at
      AND SHA2(salted.salt || CHR(10) || game_events_raw.app_id || CHR(10)
          || CASE JSON_EXTRACT_PATH_TEXT(TO_JSON(tombstone.properties), 'subject')
             WHEN 'device' THEN game_events_raw.device_id ELSE game_events_raw.player_id END,
          256) = JSON_EXTRACT_PATH_TEXT(TO_JSON(tombstone.properties), 'subject_hash'));

ALTER TASK game_events_apply_tombstones RESUME;
