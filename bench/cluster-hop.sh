#!/usr/bin/env bash
# Cost of one cross-node hop: the same wrk load (single events, then 100-event batches) against
#   1. one node with every role, alone (no -cluster),
#   2. one node with every role, clustered (Hazelcast up, every hop still on the node),
#   3. an edge (http) in front of a worker (dedup + delivery), both clustered on loopback:
#      each request crosses the clustered event bus to the worker and back.
# Usage: bench/cluster-hop.sh [duration_seconds] [connections]
# Needs: the fat jar (mvn -B -q package -DskipTests) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# every member of the cluster hashes event ids under the same dedup key
hash_key=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

# node NAME HTTP_PORT HAZELCAST_PORT ROLES [-cluster]
node() {
  local name=$1 port=$2 hz=$3 roles=$4 cluster=${5:-}
  cat > "$work/$name.json" <<JSON
{"http":{"port":$port,"host":"127.0.0.1"},
 "auth":{"api_keys":[{"id":"dev","key":"dev-secret","app_ids":["com.game.test"]}]},
 "dedup":{"directory":"$work/$name/dedup","hash_key":"$hash_key"},
 "delivery":{"file":{"directory":"$work/$name/events"}},
 "cluster":{"name":"hop-$$","port":$hz,"members":["127.0.0.1:15701","127.0.0.1:15702"],"roles":[$roles]}}
JSON
  java -Dhazelcast.wait.seconds.before.join=0 -jar target/game-events.jar -conf "$work/$name.json" $cluster \
    > "$work/$name.log" 2>&1 &
  pids+=($!)
}

await_ready() {
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$1/ready" >/dev/null && return 0; sleep 0.2; done
  echo "node on port $1 did not become ready" >&2; exit 1
}

measure() {
  local label=$1 port=$2
  for script in install-event batch-event; do
    wrk -t1 -c"$connections" -d5s -s "bench/$script.lua" "http://127.0.0.1:$port" >/dev/null  # warm-up
    printf "%-34s %-13s " "$label" "$script"
    wrk -t1 -c"$connections" -d"${duration}s" --latency -s "bench/$script.lua" "http://127.0.0.1:$port" | tail -1
  done
}

stop_all() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }

node alone 18601 15701 '"http","dedup","delivery"'
await_ready 18601; measure "all roles, not clustered" 18601; stop_all

node together 18602 15701 '"http","dedup","delivery"' -cluster
await_ready 18602; measure "all roles, clustered" 18602; stop_all

node worker 18603 15701 '"dedup","delivery"' -cluster
await_ready 18603
node edge 18604 15702 '"http"' -cluster
await_ready 18604; measure "edge -> worker (one hop each way)" 18604; stop_all
