#!/usr/bin/env bash
# Cost of one cross-node hop: the same wrk load (single events, then 100-event batches) against
#   1. one node with every role, alone (no -cluster),
#   2. one node with every role, clustered (Hazelcast up, every hop still on the node),
#   3. an edge (http) in front of a worker (dedup + delivery), both clustered on loopback:
#      each request crosses the clustered event bus to the worker and back,
#   4. the same edge -> worker with the event bus over TLS with client certificates (cluster.tls, the test
#      certificates under src/test/resources/tls).
# Usage: bench/cluster-hop.sh [duration_seconds] [connections] [hop_rounds]
#   hop_rounds > 1 repeats 3 and 4 alternately (plain, TLS, plain, TLS, ...) so both see the same drift;
#   HOP_ONLY=1 skips 1 and 2.
# Needs: the fat jar (mvn -B -q package -DskipTests) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-32}
rounds=${3:-1}
tls_dir=$(pwd)/src/test/resources/tls
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f target/game-events.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# every member of the cluster hashes event ids under the same dedup key
hash_key=$(od -An -N16 -tx1 /dev/urandom | tr -d ' 
')

# node NAME HTTP_PORT HAZELCAST_PORT ROLES [-cluster [MEMBER_CERTIFICATE]]
node() {
  local name=$1 port=$2 hz=$3 roles=$4 cluster=${5:-} member=${6:-}
  local tls=""
  [ -n "$member" ] && tls=",\"tls\":{\"cert_path\":\"$tls_dir/$member.pem\",\"key_path\":\"$tls_dir/$member.key\",\"ca_path\":\"$tls_dir/ca.pem\"}"
  cat > "$work/$name.json" <<JSON
{"http":{"port":$port,"host":"127.0.0.1"},
 "auth":{"api_keys":[{"id":"dev","key":"dev-secret","app_ids":["com.game.test"]}]},
 "dedup":{"directory":"$work/$name/dedup","hash_key":"$hash_key"},
 "delivery":{"file":{"directory":"$work/$name/events"}},
 "cluster":{"name":"hop-$$","port":$hz,"members":["127.0.0.1:15701","127.0.0.1:15702"],"roles":[$roles]$tls}}
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

if [ "${HOP_ONLY:-0}" != 1 ]; then
  node alone 18601 15701 '"http","dedup","delivery"'
  await_ready 18601; measure "all roles, not clustered" 18601; stop_all

  node together 18602 15701 '"http","dedup","delivery"' -cluster
  await_ready 18602; measure "all roles, clustered" 18602; stop_all
fi

# hop LABEL [TLS]: an edge in front of a worker, the event bus plain or over TLS
hop() {
  local label=$1 worker_cert="" edge_cert=""
  if [ -n "${2:-}" ]; then worker_cert=member1; edge_cert=member2; fi
  node worker 18603 15701 '"dedup","delivery"' -cluster $worker_cert
  await_ready 18603
  node edge 18604 15702 '"http"' -cluster $edge_cert
  await_ready 18604; measure "$label" 18604; stop_all
}

for _ in $(seq 1 "$rounds"); do
  hop "edge -> worker (one hop each way)"
  hop "edge -> worker, event bus over TLS" tls
done
