#!/usr/bin/env bash
# Load benchmark of the whole pipeline (HTTP -> dedup -> delivery -> file sink, fsync per batch):
# starts the fat jar for each delivery.linger_ms value and drives it with wrk.
# Usage: bench/load.sh [duration_seconds] [connections] [linger_ms ...]
# Needs: the fat jar (mvn -B -q package -DskipTests) and wrk (apt-get install wrk).
# DEBUGGER=stream runs each load with the live event debugger on and one /debugger/events stream open
# (what a page costs); DEBUGGER=on turns it on without a stream; default off (no admin tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-32}
shift 2 2>/dev/null || true
lingers=("$@")
[ ${#lingers[@]} -gt 0 ] || lingers=(0 2 5 20)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for linger in "${lingers[@]}"; do
  admin=""
  [ "${DEBUGGER:-off}" = off ] || admin='"admin":{"tokens":[{"id":"bench","key":"bench-admin-secret"}]},'
  cat > "$work/config.json" <<JSON
{"http":{"port":18555,"host":"127.0.0.1"},
 "auth":{"api_keys":[{"id":"dev","key":"dev-secret","app_ids":["com.game.test"]}]}, $admin
 "delivery":{"linger_ms":$linger,"file":{"directory":"$work/events-$linger"}}}
JSON
  java -jar target/game-events.jar -conf "$work/config.json" > "$work/service-$linger.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18555/ready >/dev/null && break; sleep 0.2; done
  stream=""
  if [ "${DEBUGGER:-off}" = stream ]; then
    curl -sN -H 'Authorization: Bearer bench-admin-secret' http://127.0.0.1:18555/debugger/events > "$work/stream" &
    stream=$!
  fi
  wrk -t1 -c"$connections" -d5s -s bench/install-event.lua http://127.0.0.1:18555 >/dev/null  # warm-up
  printf "linger_ms=%-3s debugger=%-6s " "$linger" "${DEBUGGER:-off}"
  # the service's own CPU time per request, less disturbed by other processes on the machine than requests/s
  cpu_before=$(awk '{print $14 + $15}' /proc/$pid/stat)
  result=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s bench/install-event.lua http://127.0.0.1:18555 | tail -1)
  cpu_after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  echo "$result"
  echo "$result" | awk -v d="$duration" -v c=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" \
    '{n = $2 * d; if (n > 0) printf "            service CPU: %.0f us per request\n", c / hz * 1e6 / n}'
  curl -s http://127.0.0.1:18555/metrics | awk '/^game_events_sink_batch_records_(sum|count)/ {v[$1]=$2}
    END {for (k in v) if (k ~ /count/) c=v[k]; else s=v[k]; if (c > 0) printf "            sink writes: %d, mean batch: %.1f events\n", c, s/c}'
  if [ -n "$stream" ]; then
    kill $stream 2>/dev/null || true
    echo "            debugger stream: $(grep -c '^data: {"seq"' "$work/stream") entries, $(grep -c '^event: skipped' "$work/stream") skipped notices"
  fi
  files=$(find "$work/events-$linger" -type f | wc -l)
  kill -TERM $pid; wait $pid || true
  lines=$(find "$work/events-$linger" -type f -exec cat {} + | wc -l)
  echo "            stored records: $lines in $files file(s)"
done
