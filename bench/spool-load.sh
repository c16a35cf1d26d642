#!/usr/bin/env bash
# Load benchmark of spool mode during a Firehose outage: the fat jar with delivery.sink = firehose
# (ack = spool, the default) pointed at a closed port, driven with wrk. Every 200 is an fsync to
# the local spool; the forwarder retries in the background. Prints wrk's figures and the spool.
# Usage: bench/spool-load.sh [duration_seconds] [connections] [lua script]
# Needs: the fat jar (mvn -B -q package -DskipTests) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-32}
script=${3:-bench/install-event.lua}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/config.json" <<JSON
{"http":{"port":18556,"host":"127.0.0.1"},
 "auth":{"api_keys":[{"id":"dev","key":"dev-secret","app_ids":["com.game.test"]}]},
 "dedup":{"directory":"$work/dedup"},
 "spool":{"directory":"$work/spool"},
 "delivery":{"sink":"firehose","firehose":{"stream_name":"bench","endpoint_override":"http://127.0.0.1:9",
   "retry_max_ms":1000}}}
JSON
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true \
  java -jar target/game-events.jar -conf "$work/config.json" > "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18556/ready >/dev/null && break; sleep 0.2; done
wrk -t1 -c"$connections" -d5s -s "$script" http://127.0.0.1:18556 >/dev/null  # warm-up
wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$script" http://127.0.0.1:18556 | grep -E "Requests/sec| 50%| 99%"
curl -s http://127.0.0.1:18556/health/sink | python3 -c 'import json,sys; b=json.load(sys.stdin); n=next(iter(b["nodes"].values())); print("spool:", n["spool"]); print("remote:", n["remote"]["detail"])'
