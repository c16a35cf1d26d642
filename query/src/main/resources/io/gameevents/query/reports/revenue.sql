-- Revenue per day (UTC), game and currency, in currency units: micros times 0.000001 is exact DECIMAL
-- arithmetic (never a float), so 3 x 4990000 EUR micros is 14.970000 EUR.
SELECT event_date, app_id, currency, COUNT(*) AS purchases, SUM(amount_micros * 0.000001) AS revenue
FROM game_events_clean
WHERE event_type = 'purchase'
GROUP BY event_date, app_id, currency
ORDER BY event_date, app_id, currency
