-- Installs per day (UTC) by game and platform, duplicates removed.
SELECT event_date, app_id, platform, COUNT(*) AS installs
FROM game_events_clean
WHERE event_type = 'install'
GROUP BY event_date, app_id, platform
ORDER BY event_date, app_id, platform
