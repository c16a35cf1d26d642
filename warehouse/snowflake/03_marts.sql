-- Daily marts over game_events_clean, the same queries as the local reports of the query tool
-- (query/src/main/resources/io/gameevents/query/reports/*.sql). Days are UTC (event_date).
-- Portable: the test suite runs each SELECT on DuckDB and compares it with the local report.

-- installs per day by game and platform
CREATE OR REPLACE VIEW daily_installs AS
SELECT event_date, app_id, platform, COUNT(*) AS installs
FROM game_events_clean
WHERE event_type = 'install'
GROUP BY event_date, app_id, platform;

-- revenue per day, game and currency, in currency units; micros * 0.000001 is exact NUMBER arithmetic
-- (never FLOAT). Original currencies: 04_fx_rates.sql converts once rates are loaded.
CREATE OR REPLACE VIEW daily_revenue AS
SELECT event_date, app_id, currency, COUNT(*) AS purchases, SUM(amount_micros * 0.000001) AS revenue
FROM game_events_clean
WHERE event_type = 'purchase'
GROUP BY event_date, app_id, currency;

-- paying players per day and game: players with at least one purchase that day
CREATE OR REPLACE VIEW daily_payers AS
SELECT event_date, app_id, COUNT(DISTINCT player_id) AS paying_players
FROM game_events_clean
WHERE event_type = 'purchase'
GROUP BY event_date, app_id;
