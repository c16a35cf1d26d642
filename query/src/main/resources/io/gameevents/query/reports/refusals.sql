-- Refused events by event type, reason and app build: which build sends bad purchases, since when.
SELECT event_type, problem_type, reason_pointer, app_version, COUNT(*) AS refused,
       MIN(refused_at) AS first_refused_at, MAX(refused_at) AS last_refused_at
FROM game_events_refused
GROUP BY event_type, problem_type, reason_pointer, app_version
ORDER BY refused DESC, event_type NULLS LAST, problem_type, reason_pointer NULLS LAST, app_version NULLS LAST
