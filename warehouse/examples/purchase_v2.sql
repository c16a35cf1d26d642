-- Worked example: purchase v2 adds store and tax_micros (warehouse/examples/purchase.v2.json).
-- Order matters: apply this BEFORE the service gets the v2 schema, so no record carries a key without a column.

-- 1. new columns, nullable: v1 rows (and v2 events that leave tax_micros out) hold NULL
ALTER TABLE game_events_raw ADD COLUMN store VARCHAR(32), tax_micros NUMBER(16, 0);

-- 2. the clean dynamic table selects game_events_raw.*, fixed when it was created: re-create it (a full refresh)
CREATE OR REPLACE DYNAMIC TABLE game_events_clean
  TARGET_LAG = '15 minutes'
  WAREHOUSE = game_events_wh
  CLUSTER BY (event_date, event_type, app_id)
AS
SELECT *
FROM game_events_raw
WHERE event_type <> '_tombstone'
QUALIFY ROW_NUMBER() OVER (PARTITION BY app_id, event_id ORDER BY received_at) = 1;

-- 3. only if v2 events were loaded before step 1 (their store is then only in raw_payload): fill the columns
UPDATE game_events_raw
SET store = raw_payload:store::VARCHAR, tax_micros = raw_payload:tax_micros::NUMBER(16, 0)
WHERE schema_version = 2 AND event_type = 'purchase' AND store IS NULL;

-- 4. a mart over both versions: v1 purchases have no store, reported as 'unknown'
CREATE OR REPLACE VIEW daily_revenue_by_store AS
SELECT event_date, app_id, currency, COALESCE(store, 'unknown') AS store, COUNT(*) AS purchases,
       SUM(amount_micros * 0.000001) AS revenue, SUM(tax_micros * 0.000001) AS tax
FROM game_events_clean
WHERE event_type = 'purchase'
GROUP BY event_date, app_id, currency, COALESCE(store, 'unknown');
