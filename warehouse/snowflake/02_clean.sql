-- game_events_clean: one row per (app_id, event_id), the copy received first. Delivery is at least
-- once (a retry after a lost acknowledgement stores a second copy), so analytics read this, not the raw
-- table. A dynamic table: Snowflake keeps it within TARGET_LAG of game_events_raw.
-- Privacy tombstones (05_privacy.sql) are no events: left out.
-- The SELECT is portable: the test suite runs it on DuckDB over the local lake (query/ module).
CREATE OR REPLACE DYNAMIC TABLE game_events_clean
  TARGET_LAG = '15 minutes'
  WAREHOUSE = game_events_wh
  CLUSTER BY (event_date, event_type, app_id)
AS
SELECT *
FROM game_events_raw
WHERE event_type <> '_tombstone'
QUALIFY ROW_NUMBER() OVER (PARTITION BY app_id, event_id ORDER BY received_at) = 1;
