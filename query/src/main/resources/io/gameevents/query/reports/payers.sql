-- Paying players per day (UTC) and game: players with at least one purchase that day.
SELECT event_date, app_id, COUNT(DISTINCT player_id) AS paying_players
FROM game_events_clean
WHERE event_type = 'purchase'
GROUP BY event_date, app_id
ORDER BY event_date, app_id
