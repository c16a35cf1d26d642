-- At-least-once copies per game: records in the lake, rows the clean view keeps, copies it removed.
SELECT app_id, stored, kept, stored - kept AS duplicates_removed
FROM (SELECT app_id, COUNT(*) AS stored FROM game_events GROUP BY app_id)
JOIN (SELECT app_id, COUNT(*) AS kept FROM game_events_clean GROUP BY app_id) USING (app_id)
ORDER BY app_id
