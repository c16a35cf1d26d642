-- wrk script: one POST /v1/batch of 100 install events per request, every event_id fresh.
-- Usage: wrk -t1 -c32 -d15s --latency -s bench/batch-event.lua http://127.0.0.1:8000
local counter = 0
local thread_tag = os.time() .. "-" .. tostring({}):gsub("table: ", "")
local occurred = os.date("!%Y-%m-%dT%H:%M:%SZ")
wrk.method = "POST"
wrk.path = "/v1/batch"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer dev-secret"

request = function()
  local events = {}
  for i = 1, 100 do
    counter = counter + 1
    events[i] = '{"event_id":"bench-' .. thread_tag .. '-' .. counter .. '","event_type":"install",'
        .. '"occurred_at":"' .. occurred .. '","player_id":"player_' .. (counter % 1000) .. '",'
        .. '"app_id":"com.game.test","platform":"ios"}'
  end
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  events/s: %.0f  p50: %.2f ms  p99: %.2f ms  non-2xx: %d\n",
      summary.requests / (summary.duration / 1e6), 100 * summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
