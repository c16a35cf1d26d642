-- A studio's own type (warehouse/examples/level_up.v1.json): its declared fields level and boss are record
-- columns after raw_payload, so JSON_MAPPING loads them once the table has them. Apply before the service
-- gets the schema; then re-run 02_clean.sql so game_events_clean has the columns too.
ALTER TABLE game_events_raw ADD COLUMN level NUMBER(10, 0), boss VARCHAR(64);

CREATE OR REPLACE VIEW daily_level_ups AS
SELECT event_date, app_id, level, COUNT(DISTINCT player_id) AS players
FROM game_events_clean
WHERE event_type = 'level_up'
GROUP BY event_date, app_id, level;
