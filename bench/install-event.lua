-- wrk script: one install event per request, each with a fresh event_id (so dedup lets it through).
-- Usage: wrk -t1 -c32 -d15s --latency -s bench/install-event.lua http://127.0.0.1:8000
local counter = 0
-- unique per wrk run and per thread (a table's address differs per Lua state), so runs never collide
local thread_tag = os.time() .. "-" .. tostring({}):gsub("table: ", "")
local occurred = os.date("!%Y-%m-%dT%H:%M:%SZ")
wrk.method = "POST"
wrk.path = "/v1/events/install"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer dev-secret"

request = function()
  counter = counter + 1
  local body = '{"event_id":"bench-' .. thread_tag .. '-' .. counter .. '","event_type":"install",'
      .. '"occurred_at":"' .. occurred .. '","player_id":"player_' .. (counter % 1000) .. '",'
      .. '"app_id":"com.game.test","platform":"ios"}'
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  p50: %.2f ms  p99: %.2f ms  non-2xx: %d\n",
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, summary.errors.status))
end
